/**
 * Results as an aligned text table for stdout:
 *
 *   class  auroc   f1
 *   -----  ------  ------
 *       0  0.9876  0.5000
 *
 * Columns come from the rows' keys (first-seen order) unless given. Numbers are
 * right-aligned with `precision` decimals; a column holding only integers keeps
 * them whole, so ids and counts do not print as `3.0000`, unless `whole` names
 * the columns of counts: then every other column keeps its decimals, so that a
 * measure of exactly 1 prints as `1.0000` beside another's `0.9876`. A column
 * mixing text and numbers is left-aligned.
 */

export interface TableOptions {
  /** Which keys to show, in order; default: every key, first-seen order. */
  columns?: readonly string[];
  /** Header text per key; default: the key. */
  headers?: Readonly<Record<string, string>>;
  /** Decimals for non-integer numbers: one for all, or per key (default 4). */
  precision?: number | Readonly<Record<string, number>>;
  /**
   * The columns of whole numbers (counts, ids). Given, the other columns are measures, shown with their
   * decimals even when a value is an integer (an AUC of exactly 1); left out, a column of integers alone is whole.
   */
  whole?: readonly string[];
}

export type Row = Readonly<Record<string, unknown>>;

export function formatTable(rows: readonly Row[], options: TableOptions = {}): string {
  const columns = options.columns ?? keysOf(rows);
  if (columns.length === 0) return '';
  const cells = columns.map((key) => formatColumn(key, rows, options));
  const widths = cells.map((column) => Math.max(...column.text.map((text) => text.length)));
  const lines: string[] = [];
  for (let r = 0; r < rows.length + 2; r++) {
    const parts = cells.map((column, c) => {
      if (r === 1) return '-'.repeat(widths[c]);
      const text = column.text[r === 0 ? 0 : r - 1];
      return column.numeric ? text.padStart(widths[c]) : text.padEnd(widths[c]);
    });
    lines.push(parts.join('  ').trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

export function printTable(rows: readonly Row[], options: TableOptions & { stream?: { write(text: string): unknown } } = {}): void {
  (options.stream ?? process.stdout).write(formatTable(rows, options));
}

function keysOf(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

/** The header followed by one cell per row; numeric columns align right. */
function formatColumn(key: string, rows: readonly Row[], options: TableOptions): { text: string[]; numeric: boolean } {
  const values = rows.map((row) => row[key]);
  const present = values.filter((value) => value !== undefined && value !== null);
  const numeric = present.length > 0 && present.every((value) => typeof value === 'number');
  const whole = numeric && (options.whole ? options.whole.includes(key) : present.every((value) => Number.isInteger(value)));
  const precision = typeof options.precision === 'number' ? options.precision : (options.precision?.[key] ?? 4);
  // In a mixed column there is no decimal point to line up, so integers stay whole.
  const text = values.map((value) => formatCell(value, whole || (!numeric && Number.isInteger(value)) ? 0 : precision));
  return { text: [options.headers?.[key] ?? key, ...text], numeric };
}

function formatCell(value: unknown, decimals: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value.toFixed(decimals) : String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
