import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';

/**
 * Spreadsheet formula injection: a cell that starts with one of these is read as a formula by
 * Excel and LibreOffice. OWASP's advice is to prefix such a cell with a single quote.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * A formula start after a delimiter or a line break inside a cell: a spreadsheet told to split on
 * `;` or TAB, or one that breaks lines itself, would begin a new cell there, quotes or not.
 */
const INNER_FORMULA_START = /([,;\t\r\n])([=+\-@])/g;

export function neutraliseCell(value: unknown): string {
  const text = (value === null || value === undefined ? '' : String(value)).replace(INNER_FORMULA_START, "$1'$2");
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A CSV document that Excel opens correctly with Chinese text: UTF-8 with a byte-order mark,
 * CRLF line ends, every cell neutralised against formula injection. Written by csv-stringify.
 * A cell is quoted whenever it holds a quote, a line break, or any delimiter a spreadsheet may be
 * told to split on (comma, semicolon, TAB): imported as semicolon- or tab-separated, a cell still
 * cannot split into a new cell that starts a formula.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringify([header.map(neutraliseCell), ...rows.map((row) => row.map(neutraliseCell))], {
    bom: true,
    record_delimiter: 'windows',
    quoted_match: /[",;\t\r\n]/,
  });
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** An instant as a spreadsheet cell: `2026-12-01 18:07` in the community's time zone ('' when absent). */
export function csvTime(instant: string | null | undefined, timezone: string): string {
  return instant ? DateTime.fromISO(instant, { zone: 'utc' }).setZone(timezone).toFormat('yyyy-LL-dd HH:mm') : '';
}
