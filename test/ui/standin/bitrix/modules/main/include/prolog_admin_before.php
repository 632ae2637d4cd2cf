<?php
// Stand-in of Bitrix's admin prolog (test-only): session, language, user, $APPLICATION.
require_once dirname(__DIR__, 4) . '/standin.php';
if (!defined('B_PROLOG_INCLUDED')) {
    define('B_PROLOG_INCLUDED', true);
    define('LANGUAGE_ID', in_array($_COOKIE['b24x_lang'] ?? 'en', ['en', 'ru'], true) ? ($_COOKIE['b24x_lang'] ?? 'en') : 'en');
    session_name('B24X_STANDIN');
    session_start();
    $GLOBALS['USER'] = new StandinUser((int)($_COOKIE['b24x_user'] ?? 0));
    $GLOBALS['APPLICATION'] = new StandinApplication((int)($_COOKIE['b24x_user'] ?? 0));
    \Bitrix\Main\Loader::includeModule('b24xero.sync');
    $USER = $GLOBALS['USER'];
    $APPLICATION = $GLOBALS['APPLICATION'];
}
