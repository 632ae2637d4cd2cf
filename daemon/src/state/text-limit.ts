/** TEXT columns hold 65,535 bytes; leave room for the ellipsis. */
export const TEXT_COLUMN_BYTES = 65_000;

/**
 * Shortens `text` to at most `maxBytes` of UTF-8, never splitting a character, marking the cut with '…'.
 * Strict sql_mode refuses an over-long value outright, so an over-long error message would otherwise lose the
 * whole error report.
 */
export function truncateUtf8(text: string, maxBytes: number = TEXT_COLUMN_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes - 3) break;
    bytes += size;
    end += char.length;
  }
  return `${text.slice(0, end)}…`;
}
