/**
 * A name as Xero compares contact names (and as the matching rules compare names, emails and numbers): runs of white
 * space as one space, trimmed, lower case. Null and undefined fold to ''.
 */
export function foldName(name: string | null | undefined): string {
  return (name ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
}
