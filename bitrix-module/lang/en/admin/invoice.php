<?php
$MESS['B24XERO_SYNC_INVOICE_TITLE'] = 'Invoice #ID# in Xero';
$MESS['B24XERO_SYNC_INVOICE_NOT_READABLE'] = 'You may not read this invoice.';
$MESS['B24XERO_SYNC_INVOICE_REFUSED'] = 'Nothing was changed: the module\'s "write" access and a valid session are needed. Reload the page and try again.';
$MESS['B24XERO_SYNC_INVOICE_RETRIED'] = 'The invoice will be tried again by the next sync pass.';
$MESS['B24XERO_SYNC_INVOICE_NOT_RETRIED'] = 'That error is no longer open; nothing was changed.';
