import { toCsv as writeCsv } from '../common/csv.js';

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null;
}

/** The exports' rows as CSV through the API's one CSV writer (common/csv.ts: formula injection neutralised there). */
export function toCsv<Row>(columns: Array<CsvColumn<Row>>, rows: Row[]): string {
  return writeCsv(
    columns.map((c) => c.header),
    rows.map((row) => columns.map((c) => c.value(row))),
  );
}
