-- b24-xero module-owned schema, version 36: Xero contacts as the contact pull last saw them (issue 7 item 4).
-- The base of the three-way comparison that brings Xero-side edits of a linked contact or company back to Bitrix:
-- a field Xero changed since this copy is written to Bitrix (update_party), one Bitrix changed too is a conflict.
-- Also what the import queued for a Xero contact not yet applied by the module, so it is not queued twice.

CREATE TABLE IF NOT EXISTS b_b24xero_contact_seen (
  XERO_ID CHAR(36) NOT NULL,                   -- Xero ContactID, lower case
  VIEW_JSON MEDIUMTEXT NOT NULL,               -- JSON: names, details and persons as the inbox contract spells them
  XERO_UPDATED_UTC DATETIME(3) NULL,           -- UpdatedDateUTC of that copy in Xero
  UPDATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (XERO_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
