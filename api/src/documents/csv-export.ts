import { stringify } from 'csv-stringify/sync';

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null;
}

/**
 * THE way every export becomes CSV (one function, so no export can forget the protection): a header
 * row, RFC 4180 quoting, a UTF-8 byte order mark (spreadsheet programs otherwise read non-Latin names
 * as mojibake), and formula injection neutralised by csv-stringify's `escape_formulas`: a cell
 * starting with = + - @ TAB or CR (or their full-width forms) is prefixed with ', so a client named
 * "=HYPERLINK(...)" is shown as text instead of run as a formula on the accountant's machine.
 */
export function toCsv<Row>(columns: Array<CsvColumn<Row>>, rows: Row[]): string {
  return stringify(
    rows.map((row) => columns.map((c) => c.value(row) ?? '')),
    { header: true, columns: columns.map((c) => c.header), bom: true, escape_formulas: true, record_delimiter: 'windows' },
  );
}
