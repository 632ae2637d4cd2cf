<?php

declare(strict_types=1);

namespace B24xero\Sync;

/**
 * Reads the module's lang/<language>/… files directly. The admin pages use Bitrix's Loc, which serves only the current
 * language; the installer needs every language at once (user-field labels are stored per language).
 */
final class Lang
{
    /** @var array<string, array<string, string>> */
    private static array $cache = [];

    public static function message(string $relativePath, string $language, string $key): string
    {
        $messages = self::messages($relativePath, $language);
        if (!isset($messages[$key])) {
            throw new \LogicException("lang/{$language}/{$relativePath} has no message {$key}");
        }
        return $messages[$key];
    }

    /** @return array<string, string> */
    public static function messages(string $relativePath, string $language): array
    {
        if (!preg_match('/^[a-z]{2}$/', $language)) {
            throw new \InvalidArgumentException("bad language id {$language}");
        }
        $file = Module::dir() . '/lang/' . $language . '/' . ltrim($relativePath, '/');
        if (!isset(self::$cache[$file])) {
            $MESS = [];
            if (is_file($file)) {
                include $file;
            }
            self::$cache[$file] = $MESS;
        }
        return self::$cache[$file];
    }
}
