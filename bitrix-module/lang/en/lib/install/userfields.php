<?php
$MESS['B24XERO_SYNC_UF_SYNC'] = 'Sync with Xero';
$MESS['B24XERO_SYNC_UF_STATUS'] = 'Xero status';
$MESS['B24XERO_SYNC_UF_URL'] = 'Xero online invoice';
$MESS['B24XERO_SYNC_UF_AMOUNT_DUE'] = 'Amount due in Xero';
$MESS['B24XERO_SYNC_UF_REFERENCE'] = 'Xero reference';
$MESS['B24XERO_SYNC_UF_ID'] = 'Xero contact id';
$MESS['B24XERO_SYNC_UF_CONTACT_STATUS'] = 'Xero contact status';
