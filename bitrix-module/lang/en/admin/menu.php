<?php
$MESS['B24XERO_SYNC_MENU_TEXT'] = 'Xero sync';
$MESS['B24XERO_SYNC_MENU_TITLE'] = 'Sync of invoices, contacts and companies with Xero';
$MESS['B24XERO_SYNC_MENU_SETTINGS'] = 'Settings';
$MESS['B24XERO_SYNC_MENU_DASHBOARD'] = 'Dashboard';
$MESS['B24XERO_SYNC_MENU_PRODUCT'] = 'Add product';
