<?php
$MESS['B24XERO_SYNC_DASHBOARD_TITLE'] = 'Синхронизация с Xero: сводка';
$MESS['B24XERO_SYNC_DASHBOARD_NO_WRITE'] = 'Вы можете смотреть эту страницу, но не изменять данные (нужен доступ модуля «запись»).';
$MESS['B24XERO_SYNC_DASHBOARD_BAD_SESSION'] = 'Сессия истекла или запрос пришёл не с этой страницы, поэтому ничего не изменено. Обновите страницу и повторите.';
$MESS['B24XERO_SYNC_DASHBOARD_DONE_RETRY'] = 'Запись #ID# будет повторена при следующем проходе синхронизации.';
$MESS['B24XERO_SYNC_DASHBOARD_DONE_RESOLVE'] = 'Запись #ID# отмечена как решённая.';
$MESS['B24XERO_SYNC_DASHBOARD_DONE_MISSING'] = 'Ошибка #ID# уже закрыта (или недоступна вам); ничего не изменено.';
