<?php

declare(strict_types=1);

/*
 * `php -l` for a whole folder in one process: every .php file under the folder is compiled (not run) through
 * opcache_compile_file, which reports the same parse and compile errors as php -l. Prints "ok <count>" or the error.
 *   php -d opcache.enable_cli=1 lint.php <folder>
 */

$dir = $argv[1] ?? '';
if (!is_dir($dir) || !function_exists('opcache_compile_file')) {
    fwrite(STDERR, "usage: php -d opcache.enable_cli=1 lint.php <folder>\n");
    exit(2);
}
$count = 0;
$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
foreach ($it as $file) {
    if ($file->getExtension() !== 'php') {
        continue;
    }
    try {
        // A compile error is fatal here (exit 255) and PHP prints it with the file name, like php -l.
        if (!opcache_compile_file($file->getPathname())) {
            fwrite(STDERR, "cannot compile {$file->getPathname()}\n");
            exit(1);
        }
    } catch (ParseError $e) {
        fwrite(STDERR, "PHP Parse error: {$e->getMessage()} in {$file->getPathname()} on line {$e->getLine()}\n");
        exit(1);
    }
    $count++;
}
echo "ok {$count}\n";
