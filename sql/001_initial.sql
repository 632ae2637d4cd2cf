-- b24-xero module-owned schema, version 1.
-- Plain SQL, portable between MySQL 8.0 and MariaDB 10.6+ - run in order by `b24xero migrate` and by the module
-- installer. Forward-only: never edit a released file, add the next number instead. Every statement is idempotent
-- (CREATE TABLE IF NOT EXISTS) so a half-applied file can be re-run. Times are UTC unless a column says otherwise.
-- InnoDB and utf8mb4 are explicit: row locks (FOR UPDATE, claims) need InnoDB, and classic portals default to utf8mb3,
-- which cannot store every character an error message or a Xero contact name may carry.

-- Working identity record: Bitrix entity <-> Xero object (ARCHITECTURE rule 3).
CREATE TABLE IF NOT EXISTS b_b24xero_link (
  ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ENTITY_TYPE VARCHAR(20) NOT NULL,            -- smart_invoice | legacy_invoice | contact | company | product
  ENTITY_ID INT UNSIGNED NOT NULL,
  XERO_TYPE VARCHAR(20) NOT NULL,              -- invoice | contact | item
  XERO_ID CHAR(36) NULL,                       -- NULL while STATE = 'creating'
  STATE VARCHAR(16) NOT NULL,                  -- creating | synced | conflict | deleted
  IDEMPOTENCY_KEY VARCHAR(64) NOT NULL,        -- deterministic key of the create in flight
  CONTENT_HASH CHAR(64) NULL,                  -- hash of what was last pushed
  XERO_STATUS VARCHAR(20) NULL,                -- DRAFT, AUTHORISED, PAID, VOIDED, ...
  XERO_NUMBER VARCHAR(255) NULL,               -- InvoiceNumber / ContactNumber / Item Code
  XERO_UPDATED_UTC DATETIME(3) NULL,           -- last seen UpdatedDateUTC
  TENANT_ID VARCHAR(64) NOT NULL DEFAULT '',
  CREATED_AT DATETIME(3) NOT NULL,
  UPDATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY UX_B24XERO_LINK_ENTITY (ENTITY_TYPE, ENTITY_ID, XERO_TYPE),
  KEY IX_B24XERO_LINK_XERO (XERO_TYPE, XERO_ID),
  KEY IX_B24XERO_LINK_STATE (STATE)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Named positions of readers: the safety scans ('scan:smart_invoice' = 'YYYY-MM-DD HH:MM:SS|ID' in the naive
-- server-local time Bitrix writes), Xero pullers ('pull:invoices' = UpdatedDateUTC), ...
CREATE TABLE IF NOT EXISTS b_b24xero_cursor (
  NAME VARCHAR(64) NOT NULL,
  VALUE VARCHAR(255) NOT NULL,
  UPDATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (NAME)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per sync pass / scan / pull, for the dashboard and `b24xero status`.
CREATE TABLE IF NOT EXISTS b_b24xero_run (
  ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  INSTANCE VARCHAR(64) NOT NULL,
  KIND VARCHAR(20) NOT NULL,                   -- sync | scan | pull | backfill | retry
  STATUS VARCHAR(16) NOT NULL,                 -- running | ok | failed | interrupted
  OWNER VARCHAR(128) NOT NULL DEFAULT '',      -- host:pid of the process running it, so rows of a dead process can be told apart
  DRY_RUN CHAR(1) NOT NULL DEFAULT 'N',
  STARTED_AT DATETIME(3) NOT NULL,
  FINISHED_AT DATETIME(3) NULL,
  STATS LONGTEXT NULL,                         -- JSON: counts of created/updated/skipped/failed, API calls
  ERROR TEXT NULL,
  PRIMARY KEY (ID),
  KEY IX_B24XERO_RUN_STARTED (STARTED_AT)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per-record failures and warnings, one open row per (entity, operation) - visible on the dashboard with retry.
CREATE TABLE IF NOT EXISTS b_b24xero_record_error (
  ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ENTITY_TYPE VARCHAR(20) NOT NULL,
  ENTITY_ID INT UNSIGNED NOT NULL,
  OPERATION VARCHAR(32) NOT NULL,              -- push | read | apply | rounding | conflict | ...
  SEVERITY VARCHAR(10) NOT NULL DEFAULT 'error', -- error | warning
  CLASS VARCHAR(16) NOT NULL,                  -- retry | needs_person | never
  CODE VARCHAR(64) NOT NULL,
  MESSAGE TEXT NOT NULL,
  DETAILS LONGTEXT NULL,                       -- JSON, secrets redacted
  ATTEMPTS INT UNSIGNED NOT NULL DEFAULT 1,
  FIRST_SEEN_AT DATETIME(3) NOT NULL,
  LAST_SEEN_AT DATETIME(3) NOT NULL,
  NEXT_RETRY_AT DATETIME(3) NULL,
  RESOLVED_AT DATETIME(3) NULL,
  RUN_ID BIGINT UNSIGNED NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY UX_B24XERO_ERR_RECORD (ENTITY_TYPE, ENTITY_ID, OPERATION),
  KEY IX_B24XERO_ERR_OPEN (RESOLVED_AT, NEXT_RETRY_AT)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Changes the daemon wants made inside Bitrix - applied by the agent of the module through the Bitrix API (rule 1).
CREATE TABLE IF NOT EXISTS b_b24xero_inbox (
  ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ENTITY_TYPE VARCHAR(20) NOT NULL,            -- smart_invoice | legacy_invoice | contact | company | product
  ENTITY_ID INT UNSIGNED NULL,                 -- NULL for an import that creates the entity
  ACTION VARCHAR(32) NOT NULL,                 -- set_fields | set_stage | import_contact | import_company | ...
  PAYLOAD LONGTEXT NOT NULL,                   -- JSON
  STATE VARCHAR(12) NOT NULL DEFAULT 'pending',-- pending | applied | failed | superseded
  DEDUPE_KEY VARCHAR(191) NULL,                -- e.g. 'set_fields:smart_invoice:42' while pending - NULL once settled
  ATTEMPTS INT UNSIGNED NOT NULL DEFAULT 0,
  ERROR TEXT NULL,
  CREATED_AT DATETIME(3) NOT NULL,
  APPLIED_AT DATETIME(3) NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY UX_B24XERO_INBOX_DEDUPE (DEDUPE_KEY),  -- NULLs never collide: only pending rows carry a key
  KEY IX_B24XERO_INBOX_STATE (STATE, ID),
  KEY IX_B24XERO_INBOX_ENTITY (ENTITY_TYPE, ENTITY_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Change feed written by the event handlers of the module - claimed by the daemon with a lease (rule 2a).
CREATE TABLE IF NOT EXISTS b_b24xero_change (
  ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ENTITY_TYPE VARCHAR(20) NOT NULL,            -- smart_invoice | legacy_invoice | contact | company | product
  ENTITY_ID INT UNSIGNED NOT NULL,
  ACTION VARCHAR(10) NOT NULL,                 -- add | update | delete
  CREATED_AT DATETIME(3) NOT NULL,
  CLAIMED_BY VARCHAR(64) NULL,
  CLAIMED_UNTIL DATETIME(3) NULL,              -- lease end - an expired lease is claimable again
  PRIMARY KEY (ID),
  KEY IX_B24XERO_CHANGE_CLAIM (CLAIMED_UNTIL, ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Xero money movements for the dashboard (payments, bank transactions, invoice balances).
CREATE TABLE IF NOT EXISTS b_b24xero_transaction (
  ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  TENANT_ID VARCHAR(64) NOT NULL,
  XERO_TYPE VARCHAR(24) NOT NULL,              -- payment | bank_transaction | invoice
  XERO_ID CHAR(36) NOT NULL,
  INVOICE_XERO_ID CHAR(36) NULL,
  CONTACT_XERO_ID CHAR(36) NULL,
  CONTACT_NAME VARCHAR(255) NULL,
  REFERENCE VARCHAR(255) NULL,
  TXN_DATE DATE NULL,
  DUE_DATE DATE NULL,
  AMOUNT DECIMAL(18,4) NOT NULL DEFAULT 0,
  AMOUNT_DUE DECIMAL(18,4) NULL,
  CURRENCY CHAR(3) NOT NULL,
  STATUS VARCHAR(24) NOT NULL,
  XERO_UPDATED_UTC DATETIME(3) NULL,
  RAW LONGTEXT NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY UX_B24XERO_TXN (TENANT_ID, XERO_TYPE, XERO_ID),
  KEY IX_B24XERO_TXN_DATE (TXN_DATE),
  KEY IX_B24XERO_TXN_INVOICE (INVOICE_XERO_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Memory of the rate governor per tenant (rule 6): survives restarts so the daily budget is honoured.
CREATE TABLE IF NOT EXISTS b_b24xero_governor (
  TENANT_ID VARCHAR(64) NOT NULL,
  DAY_UTC DATE NOT NULL,
  DAY_USED INT UNSIGNED NOT NULL DEFAULT 0,
  DAY_REMAINING INT NULL,                      -- last X-DayLimit-Remaining seen
  MIN_REMAINING INT NULL,                      -- last X-MinLimit-Remaining seen
  BLOCKED_UNTIL DATETIME(3) NULL,              -- from Retry-After
  UPDATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (TENANT_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Xero webhook events, stored on receipt (signature verified) and processed by the pullers.
CREATE TABLE IF NOT EXISTS b_b24xero_webhook_event (
  ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  DEDUPE_KEY CHAR(64) NOT NULL,                -- sha256 of tenant, category, resource id, event date, type
  TENANT_ID VARCHAR(64) NOT NULL,
  EVENT_CATEGORY VARCHAR(20) NOT NULL,         -- INVOICE | CONTACT
  EVENT_TYPE VARCHAR(20) NOT NULL,             -- CREATE | UPDATE
  RESOURCE_ID CHAR(36) NOT NULL,
  EVENT_DATE_UTC DATETIME(3) NOT NULL,
  RECEIVED_AT DATETIME(3) NOT NULL,
  PROCESSED_AT DATETIME(3) NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY UX_B24XERO_WEBHOOK_DEDUPE (DEDUPE_KEY),
  KEY IX_B24XERO_WEBHOOK_PENDING (PROCESSED_AT, ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- OAuth token store for the authorization-code flow (refresh-token rotation). Values are encrypted by the daemon
-- (AES-256-GCM, key derived from XERO_CLIENT_SECRET), so a database dump alone does not leak a usable token.
CREATE TABLE IF NOT EXISTS b_b24xero_token (
  INSTANCE VARCHAR(64) NOT NULL,
  TENANT_ID VARCHAR(64) NOT NULL DEFAULT '',
  TOKEN_SET LONGTEXT NOT NULL,                 -- encrypted JSON token set
  EXPIRES_AT DATETIME(3) NULL,
  VERSION INT UNSIGNED NOT NULL DEFAULT 1,     -- optimistic concurrency for rotation
  UPDATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (INSTANCE)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
