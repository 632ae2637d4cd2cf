<?php
$MESS['B24XERO_SYNC_STEP1_INTRO'] = 'The module adds the "Sync with Xero" checkbox (ticked by default) and the Xero status, link, amount due and reference fields to smart and legacy invoices, the Xero binding to contacts and companies, the tables the b24xero daemon keeps its state in, the change feed and the agent that applies what the daemon brings back from Xero.';
$MESS['B24XERO_SYNC_STEP1_SCAN_INDEXES'] = 'Add the indexes for the safety scan (recommended)';
$MESS['B24XERO_SYNC_STEP1_SCAN_INDEXES_HINT'] = 'Indexes on (UPDATED_TIME, ID) of smart invoices and (DATE_MODIFY, ID) of contacts and companies let the daemon find changed records without reading whole tables. They are built online; on a million invoices this takes a few seconds.';
$MESS['B24XERO_SYNC_STEP1_SUBMIT'] = 'Install';
