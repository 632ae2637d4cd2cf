<?php
$MESS['B24XERO_SYNC_UNSTEP1_WARNING'] = 'Removing the module stops the change feed and the agent. Stop the b24xero daemon first.';
$MESS['B24XERO_SYNC_UNSTEP1_KEEP'] = 'Keep the data: the sync tables, the Xero fields and their values on invoices, contacts and companies, and the settings stay, so installing again carries on where it stopped';
$MESS['B24XERO_SYNC_UNSTEP1_REMOVE'] = 'Remove everything: also delete the Xero fields with their values, the sync tables (links to Xero, history, failing records) and the settings';
$MESS['B24XERO_SYNC_UNSTEP1_SUBMIT'] = 'Remove';
