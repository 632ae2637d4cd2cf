<?php // Stand-in of Bitrix's admin page footer (test-only). ?>
</div></body></html>
