<?php
$MESS['B24XERO_SYNC_OPTIONS_TAB_CONNECTION'] = 'Connection';
$MESS['B24XERO_SYNC_OPTIONS_TAB_CONNECTION_TITLE'] = 'How the b24xero daemon is doing';
$MESS['B24XERO_SYNC_OPTIONS_TAB_STATUS'] = 'Status map';
$MESS['B24XERO_SYNC_OPTIONS_TAB_STATUS_TITLE'] = 'Bitrix stages and Xero invoice states';
$MESS['B24XERO_SYNC_OPTIONS_TAB_ACCOUNTS'] = 'Accounts and tax';
$MESS['B24XERO_SYNC_OPTIONS_TAB_ACCOUNTS_TITLE'] = 'Sales accounts and tax rates from your Xero organisation';
$MESS['B24XERO_SYNC_OPTIONS_TAB_SYNC'] = 'Sync';
$MESS['B24XERO_SYNC_OPTIONS_TAB_SYNC_TITLE'] = 'What syncs and when';
$MESS['B24XERO_SYNC_OPTIONS_TAB_RIGHTS'] = 'Access';
$MESS['B24XERO_SYNC_OPTIONS_TAB_RIGHTS_TITLE'] = 'Who may see and change the module\'s pages';
$MESS['B24XERO_SYNC_OPTIONS_NO_WRITE'] = 'You may look at the settings but not change them (the module\'s "write" access is needed).';
$MESS['B24XERO_SYNC_OPTIONS_BAD_SESSION'] = 'Your session has expired or the form did not come from this page, so nothing was saved. Reload the page and save again.';
$MESS['B24XERO_SYNC_OPTIONS_SAVED'] = 'Settings saved. The daemon uses them from its next pass.';
$MESS['B24XERO_SYNC_OPTIONS_SAVE'] = 'Save';
