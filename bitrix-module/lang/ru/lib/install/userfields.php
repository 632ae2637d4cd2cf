<?php
$MESS['B24XERO_SYNC_UF_SYNC'] = 'Синхронизировать с Xero';
$MESS['B24XERO_SYNC_UF_STATUS'] = 'Статус в Xero';
$MESS['B24XERO_SYNC_UF_URL'] = 'Счёт онлайн в Xero';
$MESS['B24XERO_SYNC_UF_AMOUNT_DUE'] = 'К оплате в Xero';
$MESS['B24XERO_SYNC_UF_REFERENCE'] = 'Референс в Xero';
$MESS['B24XERO_SYNC_UF_ID'] = 'ID контакта в Xero';
$MESS['B24XERO_SYNC_UF_CONTACT_STATUS'] = 'Статус контакта в Xero';
