<?php
$MESS['B24XERO_SYNC_UNSTEP2_DONE'] = 'Xero sync is removed.';
$MESS['B24XERO_SYNC_BACK'] = 'Back to the module list';
