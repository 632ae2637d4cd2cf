<?php

// The package build (npm run build:module) writes the version of package.json here; a test keeps this copy equal.
$arModuleVersion = [
    'VERSION' => '0.1.0',
    'VERSION_DATE' => '2026-12-03 00:00:00',
];
