<?php
$MESS['B24XERO_SYNC_INVOICE_TITLE'] = 'Счёт #ID# в Xero';
$MESS['B24XERO_SYNC_INVOICE_NOT_READABLE'] = 'У вас нет права читать этот счёт.';
$MESS['B24XERO_SYNC_INVOICE_REFUSED'] = 'Ничего не изменено: нужен доступ модуля «запись» и действующая сессия. Обновите страницу и повторите.';
$MESS['B24XERO_SYNC_INVOICE_RETRIED'] = 'Счёт будет повторён при следующем проходе синхронизации.';
$MESS['B24XERO_SYNC_INVOICE_NOT_RETRIED'] = 'Эта ошибка уже закрыта; ничего не изменено.';
