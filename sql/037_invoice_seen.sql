-- b24-xero module-owned schema, version 37: the content of linked Xero invoices as last seen (issue 7 item 3).
-- The base that tells an edit made in Xero (lines, dates, reference - queued for Bitrix as set_invoice_content) from
-- the write of the daemon itself coming back, and that lets the push see a Xero edit it is about to overwrite in a draft.

CREATE TABLE IF NOT EXISTS b_b24xero_invoice_seen (
  XERO_ID CHAR(36) NOT NULL,                   -- Xero InvoiceID, lower case
  CONTENT_JSON MEDIUMTEXT NOT NULL,            -- JSON XeroInvoiceContent: lines, dates, reference, amount types
  UPDATED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (XERO_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
