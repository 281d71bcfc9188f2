import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, a leading tab or carriage return, or their
 * full-width forms: OWASP "CSV injection") gets a leading apostrophe: shown as text, never executed.
 * A plain number ("-12.50", a refund) is data, not a formula, and stays a number. Every CSV the API
 * writes goes through `toCsv`, so no export can forget it.
 */
export function neutralizeFormula(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

export type CsvCell = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV (CRLF, quoted when needed) with a header row, UTF-8 with a BOM so spreadsheet apps
 * read accents right. Numbers are written as they are (amounts are passed already formatted as
 * decimal text by the caller); text cells are neutralized.
 */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutralizeFormula(cell) : cell ?? '')));
  return '\uFEFF' + stringify([header.map(neutralizeFormula), ...cells], { record_delimiter: 'windows' });
}
