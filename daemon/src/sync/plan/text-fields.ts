/**
 * Text clean-up for Xero fields: control characters (which Xero's XML pipeline rejects) become spaces, runs of
 * whitespace collapse, ends are trimmed, and the result is cut to Xero's limit counting characters, not UTF-16 units,
 * so a cut never splits an emoji or a surrogate pair.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function cleanText(value: string | null | undefined, maxLength: number): string {
  if (!value) return '';
  const flat = value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return truncate(flat, maxLength);
}

/** Like cleanText but keeps line breaks (descriptions are multi-line in Xero). */
export function cleanMultiline(value: string | null | undefined, maxLength: number): string {
  if (!value) return '';
  const lines = value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(CONTROL, ' ').replace(/[ \t]+/g, ' ').trim());
  const joined = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return truncate(joined, maxLength);
}

export function truncate(value: string, maxLength: number): string {
  const chars = Array.from(value);
  if (chars.length <= maxLength) return value;
  return chars.slice(0, maxLength).join('').trimEnd();
}

/** Bitrix descriptions may be HTML (DETAIL_TEXT_TYPE 'html'); Xero shows plain text. */
export function htmlToText(value: string): string {
  if (!/<[a-z!/][^>]*>/i.test(value)) return value;
  return value
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\/\s*(p|div|li|h[1-6]|tr)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&');
}
