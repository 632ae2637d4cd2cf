<?php
$MESS['B24XERO_SYNC_STEP2_DONE'] = 'Xero sync is installed. Point the b24xero daemon at this database to start syncing.';
$MESS['B24XERO_SYNC_BACK'] = 'Back to the module list';
