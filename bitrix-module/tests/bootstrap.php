<?php

declare(strict_types=1);

// The module's classes load the way Bitrix's Loader finds them: namespace B24xero\Sync -> lib/, file names lower case.
// Test support classes (B24xero\Sync\Tests) follow the same rule under tests/support/.
error_reporting(E_ALL);
ini_set('display_errors', 'stderr');

spl_autoload_register(static function (string $class): void {
    $roots = [
        'B24xero\\Sync\\Tests\\' => __DIR__ . '/support/',
        'B24xero\\Sync\\' => dirname(__DIR__) . '/lib/',
    ];
    foreach ($roots as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . strtolower(str_replace('\\', '/', substr($class, strlen($prefix)))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
