<?php

declare(strict_types=1);

/*
 * A thin stand-in of Bitrix's page frame for the browser tests (test-only; written from what the module's pages
 * call, not from Bitrix's code): the admin prolog/epilog, $APPLICATION and $USER for three fixture users, Loc over
 * the module's lang files, Option and Application::getConnection over the fixture database (B24X_UI_DB_URL),
 * CAdminTabControl, the session token, and crm's permission service and CCrmProduct::Add as far as the module uses
 * them. Users (cookie b24x_user): 1 administrator (module W, reads all CRM), 2 manager (module R, reads only the
 * invoices they are responsible for), 3 stranger (module D). Language: cookie b24x_lang (en, ru).
 */

namespace Bitrix\Main\Localization {
    final class Loc
    {
        /** @var array<string, string> */
        private static array $messages = ['ACCESS_DENIED' => 'Access denied'];

        public static function loadMessages(string $file): void
        {
            $module = (string)realpath(\B24X_STANDIN_MODULE);
            $real = (string)realpath($file);
            if (!str_starts_with($real, $module . '/')) {
                return;
            }
            $langFile = $module . '/lang/' . LANGUAGE_ID . '/' . substr($real, strlen($module) + 1);
            if (is_file($langFile)) {
                $MESS = [];
                include $langFile;
                self::$messages = $MESS + self::$messages;
            }
        }

        public static function getMessage(string $code, ?array $replace = null): ?string
        {
            if ($code === 'ACCESS_DENIED' && LANGUAGE_ID === 'ru') {
                return 'Доступ запрещён';
            }
            $text = self::$messages[$code] ?? null;
            return $text === null || $replace === null ? $text : strtr($text, array_map('strval', $replace));
        }
    }
}

namespace Bitrix\Main\DB {
    class SqlQueryException extends \RuntimeException
    {
        public function getDatabaseMessage(): string
        {
            return $this->getMessage();
        }
    }

    final class Result
    {
        public function __construct(private readonly ?\mysqli_result $result)
        {
        }

        public function fetch(): array|false
        {
            return $this->result?->fetch_assoc() ?? false;
        }
    }

    final class SqlHelper
    {
        public function __construct(private readonly \mysqli $link)
        {
        }

        public function forSql(string $value): string
        {
            return $this->link->real_escape_string($value);
        }
    }

    class Connection
    {
        private \mysqli $link;

        public function __construct(string $url)
        {
            $u = parse_url($url);
            \mysqli_report(MYSQLI_REPORT_OFF);
            $this->link = new \mysqli($u['host'] ?? '127.0.0.1', $u['user'] ?? 'root', $u['pass'] ?? '', ltrim($u['path'] ?? '', '/'), (int)($u['port'] ?? 3306));
            $this->link->set_charset('utf8mb4');
            $this->link->query("SET time_zone = '+00:00'");
        }

        public function query(string $sql): Result
        {
            $r = $this->link->query($sql);
            if ($r === false) {
                throw new SqlQueryException('(' . $this->link->errno . ') ' . $this->link->error);
            }
            return new Result($r instanceof \mysqli_result ? $r : null);
        }

        public function queryExecute(string $sql): void
        {
            $this->query($sql);
        }

        public function getAffectedRowsCount(): int
        {
            return (int)$this->link->affected_rows;
        }

        public function getInsertedId(): int
        {
            return (int)$this->link->insert_id;
        }

        public function getSqlHelper(): SqlHelper
        {
            return new SqlHelper($this->link);
        }

        public function startTransaction(): void
        {
            $this->link->begin_transaction();
        }

        public function commitTransaction(): void
        {
            $this->link->commit();
        }

        public function rollbackTransaction(): void
        {
            $this->link->rollback();
        }

        public function getDatabase(): string
        {
            return (string)$this->link->query('SELECT DATABASE() AS d')->fetch_assoc()['d'];
        }
    }
}

namespace Bitrix\Main {
    final class Application
    {
        private static ?DB\Connection $connection = null;

        public static function getConnection(): DB\Connection
        {
            return self::$connection ??= new DB\Connection((string)getenv('B24X_UI_DB_URL'));
        }
    }

    final class Loader
    {
        public static function includeModule(string $module): bool
        {
            if ($module === 'b24xero.sync') {
                spl_autoload_register(static function (string $class): void {
                    if (str_starts_with($class, 'B24xero\\Sync\\')) {
                        $file = \B24X_STANDIN_MODULE . '/lib/' . strtolower(str_replace('\\', '/', substr($class, strlen('B24xero\\Sync\\')))) . '.php';
                        if (is_file($file)) {
                            require_once $file;
                        }
                    }
                });
            }
            return in_array($module, ['b24xero.sync', 'crm', 'catalog', 'iblock'], true);
        }
    }
}

namespace Bitrix\Main\Config {
    use Bitrix\Main\Application;

    final class Option
    {
        public static function get(string $moduleId, string $name, string $default = ''): string
        {
            $h = Application::getConnection()->getSqlHelper();
            $row = Application::getConnection()->query("SELECT VALUE FROM b_option WHERE MODULE_ID = '{$h->forSql($moduleId)}' AND NAME = '{$h->forSql($name)}'")->fetch();
            return $row === false ? $default : (string)$row['VALUE'];
        }

        public static function set(string $moduleId, string $name, string $value): void
        {
            $h = Application::getConnection()->getSqlHelper();
            Application::getConnection()->queryExecute("INSERT INTO b_option (MODULE_ID, NAME, VALUE, DESCRIPTION, SITE_ID)
                VALUES ('{$h->forSql($moduleId)}', '{$h->forSql($name)}', '{$h->forSql($value)}', NULL, NULL)
                ON DUPLICATE KEY UPDATE VALUE = VALUES(VALUE)");
        }
    }
}

namespace Bitrix\Crm\Security\QueryBuilder {
    final class Options
    {
        public function setNeedReturnRawQuery(bool $value): self
        {
            return $this;
        }

        public function setOperations(array $operations): self
        {
            return $this;
        }
    }

    final class Result
    {
        public function __construct(private readonly string $sql)
        {
        }

        public function hasRestrictions(): bool
        {
            return true;
        }

        public function hasAccess(): bool
        {
            return $this->sql !== '';
        }

        public function getSql(): string
        {
            return $this->sql;
        }
    }
}

namespace Bitrix\Crm\Security {
    final class QueryBuilder
    {
        /** @param list<string> $types */
        public function __construct(private readonly array $types, private readonly int $userId)
        {
        }

        public function build(): QueryBuilder\Result
        {
            // The "own" level of crm's roles: what the user is responsible for.
            $parts = [];
            foreach ($this->types as $type) {
                if (preg_match('/^SMART_INVOICE_C(\d+)$/', $type, $m)) {
                    $parts[] = "SELECT ID FROM b_crm_dynamic_items_31 WHERE ASSIGNED_BY_ID = {$this->userId} AND CATEGORY_ID = {$m[1]}";
                } elseif ($type === 'INVOICE') {
                    $parts[] = "SELECT ID FROM b_crm_invoice WHERE RESPONSIBLE_ID = {$this->userId}";
                }
            }
            return new QueryBuilder\Result(implode(' UNION ', $parts));
        }
    }
}

namespace Bitrix\Crm\Service {
    use Bitrix\Crm\Security\QueryBuilder;
    use Bitrix\Main\Application;

    final class UserPermissions
    {
        public const OPERATION_READ = 'READ';

        public function __construct(private readonly int $userId)
        {
        }

        public function isAdmin(): bool
        {
            return $this->userId === 1;
        }

        public function canReadType(int $entityTypeId): bool
        {
            return $this->userId === 1 || $this->userId === 2;
        }

        public static function getPermissionEntityType(int $entityTypeId, int $categoryId = 0): string
        {
            return $entityTypeId === \CCrmOwnerType::SmartInvoice ? 'SMART_INVOICE_C' . $categoryId : 'INVOICE';
        }

        public function createListQueryBuilder($types, ?QueryBuilder\Options $options = null): QueryBuilder
        {
            return new QueryBuilder((array)$types, $this->userId);
        }
    }

    final class Category
    {
        public function __construct(private readonly int $id)
        {
        }

        public function getId(): int
        {
            return $this->id;
        }
    }

    final class Factory
    {
        /** @return list<Category> */
        public function getCategories(): array
        {
            $out = [];
            $r = Application::getConnection()->query('SELECT ID FROM b_crm_item_category WHERE ENTITY_TYPE_ID = 31 ORDER BY SORT');
            while ($row = $r->fetch()) {
                $out[] = new Category((int)$row['ID']);
            }
            return $out;
        }
    }

    final class Container
    {
        public static function getInstance(): self
        {
            return new self();
        }

        public function getUserPermissions(?int $userId = null): UserPermissions
        {
            return new UserPermissions((int)$userId);
        }

        public function getFactory(int $entityTypeId): ?Factory
        {
            return $entityTypeId === \CCrmOwnerType::SmartInvoice ? new Factory() : null;
        }
    }
}

namespace {
    use Bitrix\Main\Application;

    class CModule
    {
    }

    final class CCrmOwnerType
    {
        public const Invoice = 5;
        public const SmartInvoice = 31;
    }

    /** crm's product API as far as the module uses it: element, catalog row, base price, then catalog's OnProductAdd. */
    final class CCrmProduct
    {
        private static string $error = '';

        public static function Add(array $f): int|false
        {
            if (trim((string)($f['NAME'] ?? '')) === '') {
                self::$error = 'Product name is required';
                return false;
            }
            $c = Application::getConnection();
            $h = $c->getSqlHelper();
            $now = gmdate('Y-m-d H:i:s');
            $name = $h->forSql((string)$f['NAME']);
            $c->queryExecute("INSERT INTO b_iblock_element (TIMESTAMP_X, MODIFIED_BY, DATE_CREATE, CREATED_BY, IBLOCK_ID, ACTIVE, SORT, NAME,
                PREVIEW_TEXT_TYPE, DETAIL_TEXT_TYPE, SEARCHABLE_CONTENT, WF_STATUS_ID, IN_SECTIONS)
                VALUES ('{$now}', 1, '{$now}', 1, 14, 'Y', 500, '{$name}', 'text', 'text', UPPER('{$name}'), 1, 'N')");
            $id = $c->getInsertedId();
            $c->queryExecute("UPDATE b_iblock_element SET XML_ID = '{$id}' WHERE ID = {$id}");
            $vat = isset($f['VAT_ID']) ? (int)$f['VAT_ID'] : 'NULL';
            $incl = ($f['VAT_INCLUDED'] ?? 'Y') === 'N' ? 'N' : 'Y';
            $c->queryExecute("INSERT INTO b_catalog_product (ID, QUANTITY, QUANTITY_TRACE, WEIGHT, TIMESTAMP_X, PRICE_TYPE, VAT_ID, VAT_INCLUDED,
                CAN_BUY_ZERO, MEASURE, TYPE, AVAILABLE, BUNDLE) VALUES ({$id}, 0, 'D', 0, '{$now}', 'S', {$vat}, '{$incl}', 'D', 5, 1, 'Y', 'N')");
            $price = $h->forSql((string)$f['PRICE']);
            $currency = $h->forSql((string)$f['CURRENCY_ID']);
            $c->queryExecute("INSERT INTO b_catalog_price (PRODUCT_ID, CATALOG_GROUP_ID, PRICE, CURRENCY, TIMESTAMP_X, PRICE_SCALE)
                VALUES ({$id}, 1, '{$price}', '{$currency}', '{$now}', '{$price}')");
            \B24xero\Sync\ChangeFeed\Handlers::onCatalogProductSave($id, $f);
            return $id;
        }

        public static function GetLastError(): string
        {
            return self::$error;
        }
    }

    final class StandinApplication
    {
        private string $title = '';

        public function __construct(private readonly int $userId)
        {
        }

        public function GetGroupRight(string $moduleId): string
        {
            return [1 => 'W', 2 => 'R'][$this->userId] ?? 'D';
        }

        public function SetTitle(string $title): void
        {
            $this->title = $title;
        }

        public function GetTitle(): string
        {
            return $this->title;
        }

        public function GetCurPage(): string
        {
            return (string)parse_url((string)$_SERVER['REQUEST_URI'], PHP_URL_PATH);
        }

        /** Bitrix shows its login form with the message and ends the request. */
        public function AuthForm(?string $message): never
        {
            http_response_code(403);
            if (!defined('B24X_STANDIN_HEADER_SENT')) {
                require __DIR__ . '/bitrix/modules/main/include/prolog_admin_after.php';
            }
            echo '<div class="adm-auth" id="b24x-auth"><p class="adm-auth-message">' . htmlspecialcharsbx((string)$message) . '</p><form><input name="USER_LOGIN"></form></div>';
            require __DIR__ . '/bitrix/modules/main/include/epilog_admin.php';
            exit;
        }
    }

    final class StandinUser
    {
        public function __construct(private readonly int $id)
        {
        }

        public function GetID(): int
        {
            return $this->id;
        }

        public function IsAdmin(): bool
        {
            return $this->id === 1;
        }
    }

    /** Tabs as Bitrix draws them: one tab's table shown at a time, the others a click away. */
    final class CAdminTabControl
    {
        private int $index = -1;

        /** @param list<array{DIV: string, TAB: string, TITLE?: string}> $tabs */
        public function __construct(private readonly string $name, private readonly array $tabs)
        {
        }

        public function Begin(): void
        {
            echo '<div class="adm-detail-tabs-block" id="' . $this->name . '_tabs">';
            foreach ($this->tabs as $i => $tab) {
                echo '<span class="adm-detail-tab' . ($i === 0 ? ' adm-detail-tab-active' : '') . '" id="tab_cont_' . $tab['DIV'] . '"'
                    . ' onclick="b24xTab(\'' . $tab['DIV'] . '\')">' . htmlspecialcharsbx($tab['TAB']) . '</span>';
            }
            echo '</div><script>function b24xTab(id){document.querySelectorAll(".adm-detail-content").forEach(function(d){d.style.display=d.id===id?"":"none"});'
                . 'document.querySelectorAll(".adm-detail-tab").forEach(function(t){t.classList.toggle("adm-detail-tab-active",t.id==="tab_cont_"+id)})}</script>';
        }

        public function BeginNextTab(): void
        {
            $this->closeTab();
            $this->index++;
            $tab = $this->tabs[$this->index];
            echo '<div class="adm-detail-content" id="' . $tab['DIV'] . '"' . ($this->index === 0 ? '' : ' style="display:none"') . '>'
                . '<div class="adm-detail-title">' . htmlspecialcharsbx($tab['TITLE'] ?? $tab['TAB']) . '</div><table class="adm-detail-content-table edit-table">';
        }

        public function Buttons(): void
        {
            $this->closeTab();
            $this->index = PHP_INT_MAX;
            echo '<div class="adm-detail-content-btns">';
        }

        public function End(): void
        {
            echo '</div>';
        }

        public function ActiveTabParam(): string
        {
            return $this->name . '_active_tab=' . urlencode((string)($_REQUEST[$this->name . '_active_tab'] ?? ''));
        }

        private function closeTab(): void
        {
            if ($this->index >= 0 && $this->index !== PHP_INT_MAX) {
                echo '</table></div>';
            }
        }
    }

    function htmlspecialcharsbx(string $s): string
    {
        return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    function bitrix_sessid(): string
    {
        return (string)($_SESSION['fixed_session_id'] ??= bin2hex(random_bytes(16)));
    }

    function check_bitrix_sessid(string $varname = 'sessid'): bool
    {
        return isset($_REQUEST[$varname]) && hash_equals(bitrix_sessid(), (string)$_REQUEST[$varname]);
    }

    function bitrix_sessid_post(string $varname = 'sessid'): string
    {
        return '<input type="hidden" name="' . $varname . '" id="' . $varname . '" value="' . bitrix_sessid() . '" />';
    }

    function bitrix_sessid_get(string $varname = 'sessid'): string
    {
        return $varname . '=' . bitrix_sessid();
    }

    function LocalRedirect(string $url): never
    {
        header('Location: ' . $url, true, 302);
        exit;
    }
}
