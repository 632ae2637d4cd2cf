<?php

/**
 * Xero sync > Add product: creates the CRM catalog product (name, price, VAT) with its sales account code; the daemon
 * creates the Xero Item at its next pass. Needs the module's W right and the session token.
 *
 * @global CMain $APPLICATION
 * @global CUser $USER
 */

use B24xero\Sync\Module;
use B24xero\Sync\Ui\ProductForm;
use B24xero\Sync\Ui\Rights;
use B24xero\Sync\Ui\View;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

require_once $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_admin_before.php';
Loc::loadMessages(__FILE__);

$rights = Rights::of((string)$APPLICATION->GetGroupRight('b24xero.sync'));
if (!$rights->canWrite() || !Loader::includeModule('b24xero.sync')) {
    $APPLICATION->AuthForm(Loc::getMessage('ACCESS_DENIED'));
}
$ui = Module::ui((int)$USER->GetID());
$form = new ProductForm($ui->db, $ui->products, $ui->settings());
$self = $APPLICATION->GetCurPage() . '?lang=' . LANGUAGE_ID;
$t = static fn (string $key, array $replace = []): string => (string)Loc::getMessage('B24XERO_SYNC_PRODUCT_' . $key, $replace ?: null);
$message = '';
$post = [];
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $post = $_POST;
    if (!check_bitrix_sessid()) {
        http_response_code(403);
        $message = '<div class="b24x-error" id="b24x-message">' . View::e($t('BAD_SESSION')) . '</div>';
    } else {
        $result = $form->submit($_POST);
        if ($result['id'] !== null) {
            LocalRedirect($self . '&added=' . $result['id']);
        }
        $items = '';
        foreach ($result['problems'] as $p) {
            $items .= '<li>' . View::e($t('PROBLEM_' . $p['code'], ['#VALUE#' => $p['value']])) . '</li>';
        }
        $message = '<div class="b24x-error" id="b24x-message"><strong>' . View::e($t('NOT_ADDED')) . '</strong><ul>' . $items . '</ul></div>';
    }
} elseif (isset($_GET['added'])) {
    $message = '<div class="b24x-note" id="b24x-message">' . View::e($t('ADDED', ['#ID#' => (int)$_GET['added']])) . '</div>';
}

$APPLICATION->SetTitle($t('TITLE'));
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_admin_after.php';
$value = static fn (string $name, string $default = ''): string => View::e((string)($post[$name] ?? $default));
$options = static function (array $choices, string $current): string {
    $html = '';
    foreach ($choices as $v => $label) {
        $html .= '<option value="' . View::e($v) . '"' . ((string)$v === $current ? ' selected' : '') . '>' . View::e($label) . '</option>';
    }
    return $html;
};
$currencies = array_combine($form->currencies(), $form->currencies());
$vats = ['' => $t('NO_VAT')];
foreach ($form->vatRates() as $v) {
    $vats[(string)$v['id']] = "{$v['name']} ({$v['rate']}%)";
}
$accounts = [];
foreach ($form->org()->salesAccounts as $a) {
    $accounts[$a['code']] = "{$a['code']} — {$a['name']}";
}
echo View::styles() . $message;
?>
<form method="post" action="<?= View::e($self) ?>" class="b24x" id="b24x-product">
    <?= bitrix_sessid_post() ?>
    <div class="b24x-form-row"><label for="b24x-name"><?= View::e($t('NAME')) ?></label><input type="text" id="b24x-name" name="name" maxlength="255" size="40" value="<?= $value('name') ?>" required></div>
    <div class="b24x-form-row"><label for="b24x-price"><?= View::e($t('PRICE')) ?></label><input type="text" inputmode="decimal" id="b24x-price" name="price" size="12" value="<?= $value('price') ?>" required>
        <select name="currency"><?= $options($currencies, (string)($post['currency'] ?? $form->org()->baseCurrency)) ?></select></div>
    <div class="b24x-form-row"><label for="b24x-vat"><?= View::e($t('VAT')) ?></label><select id="b24x-vat" name="vat_id"><?= $options($vats, (string)($post['vat_id'] ?? '')) ?></select>
        <label><input type="checkbox" name="vat_included" value="Y"<?= ($post === [] || ($post['vat_included'] ?? '') === 'Y') ? ' checked' : '' ?>> <?= View::e($t('VAT_INCLUDED')) ?></label></div>
    <div class="b24x-form-row"><label for="b24x-account"><?= View::e($t('ACCOUNT')) ?></label>
        <?php if ($accounts === []): ?><span class="b24x-error"><?= View::e($t('ORG_MISSING')) ?></span>
        <?php else: ?><select id="b24x-account" name="account"><?= $options($accounts, (string)($post['account'] ?? $form->defaultAccount())) ?></select><?php endif ?></div>
    <p><small><?= View::e($t('HINT')) ?></small></p>
    <button type="submit" class="adm-btn-save" id="b24x-add"><?= View::e($t('ADD')) ?></button>
</form>
<?php
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/epilog_admin.php';
