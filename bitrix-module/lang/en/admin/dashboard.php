<?php
$MESS['B24XERO_SYNC_DASHBOARD_TITLE'] = 'Xero sync: dashboard';
$MESS['B24XERO_SYNC_DASHBOARD_NO_WRITE'] = 'You may look at this page but not change anything on it (the module\'s "write" access is needed).';
$MESS['B24XERO_SYNC_DASHBOARD_BAD_SESSION'] = 'Your session has expired or the request did not come from this page, so nothing was changed. Reload the page and try again.';
$MESS['B24XERO_SYNC_DASHBOARD_DONE_RETRY'] = 'Record #ID# will be tried again by the next sync pass.';
$MESS['B24XERO_SYNC_DASHBOARD_DONE_RESOLVE'] = 'Record #ID# is marked resolved.';
$MESS['B24XERO_SYNC_DASHBOARD_DONE_MISSING'] = 'Error #ID# is no longer open (or not yours to see); nothing was changed.';
