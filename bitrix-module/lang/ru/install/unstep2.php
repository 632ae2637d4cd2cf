<?php
$MESS['B24XERO_SYNC_UNSTEP2_DONE'] = 'Модуль синхронизации с Xero удалён.';
$MESS['B24XERO_SYNC_BACK'] = 'Вернуться к списку модулей';
