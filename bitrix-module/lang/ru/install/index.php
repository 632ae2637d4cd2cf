<?php
$MESS['B24XERO_SYNC_MODULE_NAME'] = 'Синхронизация с Xero';
$MESS['B24XERO_SYNC_MODULE_DESCRIPTION'] = 'Синхронизирует счета, контакты и компании CRM с бухгалтерией Xero (вместе с демоном b24xero).';
$MESS['B24XERO_SYNC_PARTNER_NAME'] = 'b24-xero';
$MESS['B24XERO_SYNC_RIGHT_DENIED'] = 'Доступ закрыт';
$MESS['B24XERO_SYNC_RIGHT_READ'] = 'Просмотр состояния синхронизации';
$MESS['B24XERO_SYNC_RIGHT_WRITE'] = 'Изменение настроек и работа с ошибочными записями';
$MESS['B24XERO_SYNC_INSTALL_TITLE'] = 'Установка модуля синхронизации с Xero';
$MESS['B24XERO_SYNC_UNINSTALL_TITLE'] = 'Удаление модуля синхронизации с Xero';
