// A meter-reading round's CSV file as a utility exports it: a header or not; `;`, tab or `,` between
// cells; a BOM; CRLF; the account number and/or the meter's serial, the value as the meter shows it,
// the date. Read into rows of raw cells (each with its line in the file); a file that is not CSV, has
// too many rows or lacks a needed column is refused as a whole.
import { parse } from 'csv-parse/sync';
import { isValidDate } from '../../../src-shared/domain/period';
import { AppError } from '../../../src-shared/errors';
import { ROUND_MAX_ROWS } from '../../../src-shared/schemas/round';

export type Column = 'account' | 'serial' | 'value' | 'date';

/** Header words a utility's export uses for each column (folded: lower case, ё → е, no punctuation). */
const HEADER_WORDS: Record<Column, string[]> = {
  account: [
    'лицевой счет',
    'лицевой',
    'лс',
    'л с',
    'номер лс',
    'номер лицевого счета',
    'счет',
    'account',
    'account number',
    'дербес шот',
    'дш',
  ],
  serial: [
    'счетчик',
    'номер счетчика',
    'заводской номер',
    'заводской номер счетчика',
    'серийный номер',
    'прибор учета',
    'serial',
    'meter',
    'meter serial',
    'есептегiш',
    'есептегіш',
    'есептегiш нөмiрi',
  ],
  value: ['показание', 'показания', 'текущее показание', 'value', 'reading', 'көрсеткiш', 'көрсеткіш'],
  date: ['дата', 'дата показания', 'дата снятия', 'дата обхода', 'date', 'read on', 'күнi', 'күні'],
};
const fold = (cell: string) =>
  cell
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"'№.:/\\_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function columnOf(cell: string): Column | null {
  const word = fold(cell);
  for (const column of Object.keys(HEADER_WORDS) as Column[])
    if (HEADER_WORDS[column].some((w) => word === w)) return column;
  return null;
}

/** The delimiter of the file: `;` (Russian Excel's), a tab, or `,` — by the first line, where a decimal comma cannot be. */
function delimiterOf(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  if (first.includes(';')) return ';';
  if (first.includes('\t')) return '\t';
  return ',';
}

/** `05.12.2026`, `5.12.2026`, `05.12.26`, `2026-12-05` → ISO, or null. */
export function roundDate(cell: string): string | null {
  const text = cell.trim();
  let iso: string | null = null;
  const dotted = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/.exec(text);
  if (dotted)
    iso = `${dotted[3]!.length === 2 ? `20${dotted[3]}` : dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) iso = text;
  return iso && isValidDate(iso) ? iso : null;
}

/** An account number as typed in a file: digits only, leading zeros beyond six digits dropped. */
export const accountKey = (raw: string) => raw.replace(/\D/g, '').replace(/^0+(?=\d{6})/, '');

export interface RoundRow {
  /** the row's line in the file */
  line: number;
  raw: Record<Column, string>;
}

export function readRoundFile(csv: string): { rows: RoundRow[]; delimiter: string; header: boolean } {
  const delimiter = delimiterOf(csv.replace(/^\uFEFF/, ''));
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, {
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as never;
  } catch (error) {
    throw new AppError('VALIDATION', 'The file is not a CSV file', {
      fields: [
        { path: 'csv', code: 'round.notCsv', message: error instanceof Error ? error.message.slice(0, 200) : 'CSV' },
      ],
    });
  }
  // A header row names the columns; without one: account, serial, value, date (or serial, value, date).
  const firstColumns = records[0]?.record.map(columnOf) ?? [];
  const header = firstColumns.filter((c) => c !== null).length >= 2;
  const at: Partial<Record<Column, number>> = {};
  if (header) firstColumns.forEach((c, i) => c && at[c] === undefined && (at[c] = i));
  else if ((records[0]?.record.length ?? 0) >= 4) Object.assign(at, { account: 0, serial: 1, value: 2, date: 3 });
  else if ((records[0]?.record.length ?? 0) === 3) Object.assign(at, { serial: 0, value: 1, date: 2 });
  const data = header ? records.slice(1) : records;
  if (data.length > ROUND_MAX_ROWS)
    throw new AppError('VALIDATION', 'Too many rows', {
      fields: [{ path: 'csv', code: 'round.tooManyRows', message: `At most ${ROUND_MAX_ROWS} rows` }],
      max: ROUND_MAX_ROWS,
    });
  if (at.value === undefined || at.date === undefined || (at.account === undefined && at.serial === undefined)) {
    throw new AppError('VALIDATION', 'The file has no value, date or meter column', {
      fields: [{ path: 'csv', code: 'round.columns', message: 'Columns: account or serial, value, date' }],
    });
  }
  const cell = (row: string[], column: Column) => (at[column] === undefined ? '' : (row[at[column]!] ?? '').trim());

  const rows = data.map(({ record, info }) => ({
    line: info.lines,
    raw: {
      account: cell(record, 'account'),
      serial: cell(record, 'serial'),
      value: cell(record, 'value'),
      date: cell(record, 'date'),
    },
  }));
  return { rows, delimiter, header };
}
