<?php

// Loader::includeModule('b24xero.sync') registers the B24xero\Sync namespace for lib/ itself; nothing else to load.
