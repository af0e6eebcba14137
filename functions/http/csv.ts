import { stringify } from 'csv-stringify/sync';

/**
 * Spreadsheet formula injection: a cell that starts with one of these is read as a formula by
 * Excel and LibreOffice. OWASP's advice is to prefix such a cell with a single quote.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A CSV document that Excel opens correctly with Chinese text: UTF-8 with a byte-order mark,
 * CRLF line ends, every cell neutralised against formula injection. Written by csv-stringify.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringify([header.map(neutraliseCell), ...rows.map((row) => row.map(neutraliseCell))], {
    bom: true,
    record_delimiter: 'windows',
    quoted_match: /[",\r\n]/,
  });
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
