<?php
$MESS['B24XERO_SYNC_OPTIONS_TAB_CONNECTION'] = 'Подключение';
$MESS['B24XERO_SYNC_OPTIONS_TAB_CONNECTION_TITLE'] = 'Состояние службы b24xero';
$MESS['B24XERO_SYNC_OPTIONS_TAB_STATUS'] = 'Статусы';
$MESS['B24XERO_SYNC_OPTIONS_TAB_STATUS_TITLE'] = 'Стадии Битрикс и состояния счетов Xero';
$MESS['B24XERO_SYNC_OPTIONS_TAB_ACCOUNTS'] = 'Счета и налоги';
$MESS['B24XERO_SYNC_OPTIONS_TAB_ACCOUNTS_TITLE'] = 'Счета продаж и налоговые ставки вашей организации в Xero';
$MESS['B24XERO_SYNC_OPTIONS_TAB_SYNC'] = 'Синхронизация';
$MESS['B24XERO_SYNC_OPTIONS_TAB_SYNC_TITLE'] = 'Что и когда синхронизируется';
$MESS['B24XERO_SYNC_OPTIONS_TAB_RIGHTS'] = 'Доступ';
$MESS['B24XERO_SYNC_OPTIONS_TAB_RIGHTS_TITLE'] = 'Кто может смотреть и изменять страницы модуля';
$MESS['B24XERO_SYNC_OPTIONS_NO_WRITE'] = 'Вы можете смотреть настройки, но не изменять их (нужен доступ модуля «запись»).';
$MESS['B24XERO_SYNC_OPTIONS_BAD_SESSION'] = 'Сессия истекла или форма отправлена не с этой страницы, поэтому ничего не сохранено. Обновите страницу и сохраните снова.';
$MESS['B24XERO_SYNC_OPTIONS_SAVED'] = 'Настройки сохранены. Служба применит их со следующего прохода.';
$MESS['B24XERO_SYNC_OPTIONS_SAVE'] = 'Сохранить';
