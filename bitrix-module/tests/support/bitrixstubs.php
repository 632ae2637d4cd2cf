<?php

declare(strict_types=1);

/*
 * The few Bitrix globals the module's thin entry files (install/index.php, admin/menu.php, options.php) use, enough to
 * include those files outside a portal: Loc reads the module's own lang files the way Bitrix maps a file to its
 * lang/<language>/ twin; $APPLICATION records what the page asked for. Loaded only by the tests of those files.
 */

namespace Bitrix\Main\Localization {
    final class Loc
    {
        /** @var array<string, string> */
        public static array $messages = [];
        public static string $language = 'en';

        public static function loadMessages(string $file): void
        {
            $root = dirname(__DIR__, 2);
            $relative = substr((string)realpath($file), strlen((string)realpath($root)) + 1);
            $langFile = $root . '/lang/' . self::$language . '/' . $relative;
            if (is_file($langFile)) {
                $MESS = [];
                include $langFile;
                self::$messages = $MESS + self::$messages;
            }
        }

        /** @var array<string, true> codes asked for that no loaded lang file has */
        public static array $missing = [];

        /** @param array<string, string>|null $replace */
        public static function getMessage(string $code, ?array $replace = null): ?string
        {
            $text = self::$messages[$code] ?? null;
            if ($text === null) {
                self::$missing[$code] = true;
            }
            return $text === null || $replace === null ? $text : strtr($text, array_map('strval', $replace));
        }
    }
}

namespace Bitrix\Main\Config {
    final class Option
    {
        /** @var array<string, array<string, string>> */
        public static array $values = [];

        public static function get(string $moduleId, string $name, string $default = ''): string
        {
            return self::$values[$moduleId][$name] ?? $default;
        }
    }
}

namespace {
    if (!defined('LANGUAGE_ID')) {
        define('LANGUAGE_ID', 'en');
    }
    if (!defined('B_PROLOG_INCLUDED')) {
        define('B_PROLOG_INCLUDED', true);
    }

    class CModule
    {
    }

    /** Records what a page asked $APPLICATION for. */
    final class StubApplication
    {
        public string $right = 'D';
        /** @var list<array{0: string, 1: string}> */
        public array $included = [];
        public ?string $authForm = null;

        public function GetGroupRight(string $moduleId): string
        {
            return $this->right;
        }

        public function IncludeAdminFile(string $title, string $file): void
        {
            $this->included[] = [$title, $file];
        }

        public function AuthForm(?string $message): void
        {
            $this->authForm = (string)$message;
        }

        public function GetCurPage(): string
        {
            return '/bitrix/admin/partner_modules.php';
        }
    }

    final class StubUser
    {
        public function __construct(private readonly bool $admin)
        {
        }

        public function IsAdmin(): bool
        {
            return $this->admin;
        }
    }

    final class CAdminMessage
    {
        public static function ShowMessage(mixed $message): void
        {
            echo '<div class="adm-message">' . (is_array($message) ? $message['MESSAGE'] . ' ' . ($message['DETAILS'] ?? '') : $message) . '</div>';
        }

        public static function ShowNote(string $message): void
        {
            echo '<div class="adm-note">' . $message . '</div>';
        }
    }

    function htmlspecialcharsbx(string $s): string
    {
        return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    function check_bitrix_sessid(): bool
    {
        return ($_REQUEST['sessid'] ?? '') === 'valid';
    }

    function bitrix_sessid_post(): string
    {
        return '<input type="hidden" name="sessid" value="valid">';
    }
}
