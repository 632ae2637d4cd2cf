-- b24-xero module-owned schema, version 3: what an applied inbox row did.
-- The module applier stores here, as JSON, the Bitrix records an import created or found (see sql/inbox/README.md),
-- in the same transaction that marks the row applied, so the daemon can link them (the daemon is the one writer of
-- b_b24xero_link). A table of its own rather than a column: every file here stays re-runnable (MySQL 8.0 has no
-- ADD COLUMN IF NOT EXISTS), which the module installer relies on.

CREATE TABLE IF NOT EXISTS b_b24xero_inbox_result (
  INBOX_ID BIGINT UNSIGNED NOT NULL,           -- b_b24xero_inbox.ID
  RESULT LONGTEXT NOT NULL,                    -- JSON, e.g. {"entityId": 17, "created": true, "persons": [...]}
  CREATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (INBOX_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
