import { parse } from 'csv-parse/sync';
import { toCsv } from '../../../functions/http/csv';

/** The export as a spreadsheet importing it with each delimiter a person may pick would read it (csv-parse). */
const readAs = (csv: string, delimiter: string) => parse(csv.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];

describe('CSV exports', () => {
  const cells = ['王阿姨', 'a;=HYPERLINK("http://x")', 'b\t=1+1', 'c,d', '第一行\n=2+2', '+8613800138000'];
  const csv = toCsv(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], [cells]);

  it.each([',', ';', '\t'])('keeps every cell whole when split on %j: no cell starts a formula', (delimiter) => {
    const rows = readAs(csv, delimiter);
    expect(rows).toHaveLength(2);
    for (const cell of rows[1]!) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('reads back as written when split on commas, formulas neutralised', () => {
    const [, row] = readAs(csv, ',');
    expect(row).toEqual(['王阿姨', `a;'=HYPERLINK("http://x")`, "b\t'=1+1", 'c,d', "第一行\n'=2+2", "'+8613800138000"]);
  });
});
