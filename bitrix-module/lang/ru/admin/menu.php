<?php
$MESS['B24XERO_SYNC_MENU_TEXT'] = 'Синхронизация с Xero';
$MESS['B24XERO_SYNC_MENU_TITLE'] = 'Синхронизация счетов, контактов и компаний с Xero';
$MESS['B24XERO_SYNC_MENU_SETTINGS'] = 'Настройки';
$MESS['B24XERO_SYNC_MENU_DASHBOARD'] = 'Сводка';
$MESS['B24XERO_SYNC_MENU_PRODUCT'] = 'Новый товар';
