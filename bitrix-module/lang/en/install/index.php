<?php
$MESS['B24XERO_SYNC_MODULE_NAME'] = 'Xero sync';
$MESS['B24XERO_SYNC_MODULE_DESCRIPTION'] = 'Keeps CRM invoices, contacts and companies in sync with Xero accounting (with the b24xero daemon).';
$MESS['B24XERO_SYNC_PARTNER_NAME'] = 'b24-xero';
$MESS['B24XERO_SYNC_RIGHT_DENIED'] = 'Access denied';
$MESS['B24XERO_SYNC_RIGHT_READ'] = 'View sync status';
$MESS['B24XERO_SYNC_RIGHT_WRITE'] = 'Change settings and act on failing records';
$MESS['B24XERO_SYNC_INSTALL_TITLE'] = 'Installing Xero sync';
$MESS['B24XERO_SYNC_UNINSTALL_TITLE'] = 'Removing Xero sync';
