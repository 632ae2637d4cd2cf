<?php
// Stand-in of Bitrix's admin page header (test-only).
define('B24X_STANDIN_HEADER_SENT', true);
?><!DOCTYPE html>
<html lang="<?= LANGUAGE_ID ?>"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title><?= htmlspecialcharsbx($GLOBALS['APPLICATION']->GetTitle()) ?></title>
<style>body{margin:0;font-family:Arial,sans-serif;background:#eef2f4;color:#333}#adm-workarea{padding:12px}.adm-title{font-size:20px;margin:0 0 10px}
.adm-detail-tab{display:inline-block;padding:6px 10px;margin:0 2px 4px 0;background:#dde5e9;cursor:pointer;border-radius:3px}.adm-detail-tab-active{background:#fff}
.adm-detail-content{background:#fff;padding:8px}.adm-detail-content-table{width:100%}.heading td{font-weight:bold;background:#e6ecef;padding:6px}
.adm-detail-content-btns{padding:10px;background:#dfe6e9}</style></head>
<body><div id="adm-workarea"><h1 class="adm-title" id="adm-title"><?= htmlspecialcharsbx($GLOBALS['APPLICATION']->GetTitle()) ?></h1>
