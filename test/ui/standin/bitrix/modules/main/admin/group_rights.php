<?php
// Stand-in of Bitrix's group rights tab (test-only): the real one lists user groups with D / R / W per group.
if (($REQUEST_METHOD ?? '') !== 'POST') {
    echo '<tr><td colspan="2" id="b24x-group-rights">' . htmlspecialcharsbx(implode(' / ', (new b24xero_sync())->GetModuleRightList()['reference'])) . '</td></tr>';
}
