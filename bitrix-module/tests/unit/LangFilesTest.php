<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Unit;

use PHPUnit\Framework\TestCase;

/** Every string the module shows exists in lang/en and lang/ru, and the two languages have the same keys. */
final class LangFilesTest extends TestCase
{
    private const ROOT = __DIR__ . '/../..';
    private const LANGUAGES = ['en', 'ru'];
    /** Bitrix's own messages, defined by main. */
    private const FROM_BITRIX = ['ACCESS_DENIED'];

    /** @return array<string, string> */
    private static function messages(string $language, string $relative): array
    {
        $MESS = [];
        $file = self::ROOT . "/lang/{$language}/{$relative}";
        if (is_file($file)) {
            include $file;
        }
        return $MESS;
    }

    /** @return list<string> module files outside lang/, tests/ and build/, relative to the module folder */
    private static function sourceFiles(): array
    {
        $out = [];
        $it = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::ROOT, \FilesystemIterator::SKIP_DOTS));
        foreach ($it as $file) {
            $relative = substr($file->getPathname(), strlen(self::ROOT) + 1);
            if ($file->getExtension() === 'php' && !preg_match('#^(lang|tests|build)/#', $relative)) {
                $out[] = $relative;
            }
        }
        sort($out);
        return $out;
    }

    public function testEveryLocMessageAFileAsksForIsInItsLangFileInEveryLanguage(): void
    {
        $checked = 0;
        foreach (self::sourceFiles() as $relative) {
            preg_match_all("/Loc::getMessage\\('([A-Z0-9_]+)'\\s*[,)]/", (string)file_get_contents(self::ROOT . '/' . $relative), $m);
            foreach (array_diff(array_unique($m[1]), self::FROM_BITRIX) as $key) {
                foreach (self::LANGUAGES as $language) {
                    self::assertArrayHasKey($key, self::messages($language, $relative), "lang/{$language}/{$relative} lacks {$key}");
                    $checked++;
                }
            }
        }
        self::assertGreaterThan(40, $checked);
    }

    public function testEveryReportCodeTheInstallerEmitsHasATextInEveryLanguage(): void
    {
        $codes = [];
        foreach (glob(self::ROOT . '/lib/install/*.php') ?: [] as $file) {
            preg_match_all("/(?:->add|->warn|new InstallError)\\('([A-Z_]+)'/", (string)file_get_contents($file), $m);
            array_push($codes, ...$m[1]);
        }
        preg_match_all("/new InstallError\\('([A-Z_]+)'/", (string)file_get_contents(self::ROOT . '/install/index.php'), $m);
        array_push($codes, 'FAILED', 'WARNINGS', ...$m[1]);
        self::assertGreaterThan(20, count(array_unique($codes)));
        foreach (array_unique($codes) as $code) {
            foreach (self::LANGUAGES as $language) {
                self::assertArrayHasKey("B24XERO_SYNC_REPORT_{$code}", self::messages($language, 'install/report.php'), "{$language}: report code {$code}");
            }
        }
    }

    public function testBothLanguagesHaveTheSameKeysInEveryFile(): void
    {
        $files = [];
        foreach (self::LANGUAGES as $language) {
            $it = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::ROOT . "/lang/{$language}", \FilesystemIterator::SKIP_DOTS));
            foreach ($it as $file) {
                $files[substr($file->getPathname(), strlen(self::ROOT . "/lang/{$language}") + 1)] = true;
            }
        }
        foreach (array_keys($files) as $relative) {
            $keys = array_map(static fn (string $l): array => array_keys(self::messages($l, $relative)), self::LANGUAGES);
            sort($keys[0]);
            sort($keys[1]);
            self::assertSame($keys[0], $keys[1], "lang/*/{$relative}");
            self::assertNotEmpty($keys[0], "lang/*/{$relative} is empty");
        }
    }
}
