import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a leading tab/carriage return, OWASP
 * "CSV injection") gets a leading apostrophe: shown as text, never executed. Every CSV the API
 * writes goes through `toCsv`, so no export can forget it.
 */
export function neutralizeFormula(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value)) return value; // a plain number ("-12.50", a refund) is data, not a formula
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
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
