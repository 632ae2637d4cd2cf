<?php
$MESS['B24XERO_SYNC_OPTIONS_PLACEHOLDER'] = 'The settings page (Xero connection health, status map, account codes, tax map, schedules) arrives with the module\'s admin pages. Until then every setting has a working default.';
$MESS['B24XERO_SYNC_OPTIONS_START_DATE'] = 'Ongoing sync starts with invoices of #DATE#.';
$MESS['B24XERO_SYNC_OPTIONS_DAEMON'] = 'The Xero connection itself is configured in the b24xero daemon\'s env file (/etc/b24xero/&lt;instance&gt;.env).';
