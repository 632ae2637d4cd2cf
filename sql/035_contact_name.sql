-- b24-xero module-owned schema, version 35: contacts whose Xero name had to be made distinct (issue 12).
-- Xero contact names are unique among active contacts. When the name a Bitrix contact or company would get in Xero
-- already belongs to another party, the daemon appends a qualifier (its email, else its B24 ContactNumber) and keeps
-- it here, so every later push sends the same name. No row: the planned name as it is.

CREATE TABLE IF NOT EXISTS b_b24xero_contact_name (
  ENTITY_TYPE VARCHAR(20) NOT NULL,            -- contact | company
  ENTITY_ID INT UNSIGNED NOT NULL,
  NAME_SUFFIX VARCHAR(300) NOT NULL,           -- appended to the planned name, e.g. ' (jane@example.com)'
  UPDATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (ENTITY_TYPE, ENTITY_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
