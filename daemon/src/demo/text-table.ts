/** Column alignment: numbers read best right-aligned. */
export type Align = 'left' | 'right';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: Align;
}

/**
 * A plain-text table (header, rule, rows) with every column as wide as its widest cell. Widths count code points,
 * not UTF-16 units, so 'Café' or 'Pōhutukawa' do not push later columns out of line.
 */
export function textTable<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>, indent = ''): string[] {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const line = (values: readonly string[]) =>
    indent + values.map((v, i) => pad(v, widths[i]!, columns[i]!.align ?? 'left')).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}

function width(text: string): number {
  return [...text.normalize('NFC')].length;
}

function pad(text: string, to: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** 1234.5 → '1,234.50': money as an accountant reads it (two decimals, thousands grouped), sign kept. */
export function formatMoney(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n.toLocaleString('en-NZ', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Cuts text to `max` code points with an ellipsis, for one-line cells and messages. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
