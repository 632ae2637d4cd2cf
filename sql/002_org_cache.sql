-- b24-xero module-owned schema, version 2: the Xero organisation context cache.
-- Each sync pass with work needs the organisation, its currencies, tax rates, chart of accounts and items (five GETs).
-- The daemon runs a new process for every pass, so without a stored copy a busy portal spends thousands of calls a day
-- on these reads alone. One row per Xero tenant, refetched when older than the daemon TTL or when Xero says it is stale.

CREATE TABLE IF NOT EXISTS b_b24xero_org_cache (
  TENANT_ID VARCHAR(64) NOT NULL,              -- empty for a Custom Connection without a tenant id
  CONTEXT LONGTEXT NOT NULL,                   -- versioned JSON of the context, see daemon org-context-json.ts
  FETCHED_AT DATETIME(3) NOT NULL,             -- when the five reads were made (UTC)
  PRIMARY KEY (TENANT_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
