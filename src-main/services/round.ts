// Readings from a meter-reading round (readings.importCheck / readings.importApply): the controller's
// CSV file as a utility exports it (a header or not; `;`, tab or `,` between cells; a BOM; CRLF; the
// account number and/or the meter's serial, the value as the meter shows it, the date) is checked row
// by row with every check a keyed-in reading gets — the meter's digits, the date (not in the future,
// in the open month, not before the previous reading), not lower than the previous reading, the
// plausibility against the expected consumption (a row that would need a reason is refused: it is
// keyed in on the account with its reason), a meter read twice in the file, a meter already read this
// month — and the accepted rows are saved in one transaction, each a readings.submit mutation with
// source 'controller', plus the audit trail; a refusal or an error saves nothing. The file's data is
// loaded in a few set-based queries, so 10 000 rows are checked in well under a second.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { addMonths, almatyDate, isValidDate, periodOf } from '../../src-shared/domain/period';
import { AppError } from '../../src-shared/errors';
import { checkReading, type ReadingKind } from '../../src-shared/readings/checks';
import { formatReading, parseReading, type MeterFormat } from '../../src-shared/readings/format';
import {
  ROUND_MAX_ROWS,
  ROUND_PREVIEW_ROWS,
  type RoundAccepted,
  type RoundApply,
  type RoundCheck,
  type RoundReason,
  type RoundRefused,
} from '../../src-shared/schemas/round';
import type { MutationArgs } from '../../src-shared/schemas/sync';
import { createAuditRepo } from '../store/repos/audit';
import { argsOf, createOutboxRepo } from '../store/repos/outbox';
import type { CallContext, ServiceContext } from './context';
import { averageMonthly } from './readings/values';
import type { createSettingsService } from './settings';

type Column = 'account' | 'serial' | 'value' | 'date';

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

interface MeterFacts {
  id: number;
  accountId: number;
  serial: string;
  format: MeterFormat;
  installLitres: number;
  removedOn: string | null;
  overdue: boolean;
}
interface AccountFacts {
  id: number;
  number: string;
  closedOn: string | null;
  residents: number;
  activeMeters: number;
}
interface ReadingFacts {
  period: string;
  value_litres: number;
  read_on: string;
  kind: ReadingKind;
  status: string;
}

interface Checked {
  accepted: (RoundAccepted & { args: MutationArgs<'readings.submit'> })[];
  refused: RoundRefused[];
  rows: number;
  delimiter: string;
  header: boolean;
  period: string;
  digest: string;
}

export function createRoundService(ctx: ServiceContext, settings: ReturnType<typeof createSettingsService>) {
  const db = ctx.db;
  const outbox = createOutboxRepo(db);
  const audit = createAuditRepo(db);
  const accountsByNumber = db.prepare<
    [string],
    { id: number; number: string; closed_on: string | null; residents: number }
  >('SELECT id, number, closed_on, residents FROM accounts WHERE number IN (SELECT value FROM json_each(?))');
  const accountsById = db.prepare<
    [string],
    { id: number; number: string; closed_on: string | null; residents: number }
  >('SELECT id, number, closed_on, residents FROM accounts WHERE id IN (SELECT value FROM json_each(?))');
  const metersOf = db.prepare<
    [string, string],
    {
      id: number;
      account_id: number;
      serial: string;
      int_digits: number;
      frac_digits: number;
      install_litres: number;
      removed_on: string | null;
      next_verification_on: string;
    }
  >(
    `SELECT id, account_id, serial, int_digits, frac_digits, install_litres, removed_on, next_verification_on FROM meters
      WHERE serial IN (SELECT value FROM json_each(?)) OR account_id IN (SELECT a.id FROM accounts a WHERE a.number IN (SELECT value FROM json_each(?)))`,
  );
  const activeCounts = db.prepare<[string], { account_id: number; n: number }>(
    'SELECT account_id, count(*) AS n FROM meters WHERE removed_on IS NULL AND account_id IN (SELECT value FROM json_each(?)) GROUP BY account_id',
  );
  // Current rows of the months the average looks at, and this month's, of the file's meters; newest
  // first; as arrays (a 10 000-row file brings some 80 000 of them).
  const recentReadings = db
    .prepare<[string, string], [number, string, number, string, ReadingKind, string]>(
      `SELECT meter_id, period, value_litres, read_on, kind, status FROM readings
        WHERE meter_id IN (SELECT value FROM json_each(?)) AND period >= ? AND superseded_by IS NULL AND status <> 'refused'
        ORDER BY meter_id, read_on DESC, id DESC`,
    )
    .raw();
  const previousBefore = db.prepare<[number, string], { value_litres: number; read_on: string }>(
    "SELECT value_litres, read_on FROM readings WHERE meter_id = ? AND period < ? AND superseded_by IS NULL AND status = 'accepted' ORDER BY period DESC, read_on DESC, id DESC LIMIT 1",
  );
  const waterNorm = db
    .prepare<[string], number>(
      "SELECT litres_per_resident_month FROM norms WHERE service = 'water' AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
    )
    .pluck();

  function check(csv: string): Checked {
    const today = almatyDate(ctx.now());
    const period = periodOf(today);
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
    const accountKey = (raw: string) => raw.replace(/\D/g, '').replace(/^0+(?=\d{6})/, '');

    // Everything the rows need, in a few queries.
    const numbers = [...new Set(data.map((r) => accountKey(cell(r.record, 'account'))).filter(Boolean))];
    const serials = [...new Set(data.map((r) => cell(r.record, 'serial')).filter(Boolean))];
    const meterRows = metersOf.all(JSON.stringify(serials), JSON.stringify(numbers));
    const meterAccounts = [...new Set(meterRows.map((m) => m.account_id))];
    const accounts = new Map<number, AccountFacts>();
    const byNumber = new Map<string, AccountFacts>();
    const counts = new Map(activeCounts.all(JSON.stringify(meterAccounts)).map((r) => [r.account_id, r.n]));
    for (const a of [
      ...accountsByNumber.all(JSON.stringify(numbers)),
      ...accountsById.all(JSON.stringify(meterAccounts)),
    ]) {
      const facts = {
        id: a.id,
        number: a.number,
        closedOn: a.closed_on,
        residents: a.residents,
        activeMeters: counts.get(a.id) ?? 0,
      };
      accounts.set(a.id, facts);
      byNumber.set(a.number, facts);
    }
    const meters = new Map<number, MeterFacts>();
    const bySerial = new Map<string, MeterFacts[]>();
    const byAccount = new Map<number, MeterFacts[]>();
    for (const m of meterRows) {
      const facts = {
        id: m.id,
        accountId: m.account_id,
        serial: m.serial,
        format: { intDigits: m.int_digits, fracDigits: m.frac_digits },
        installLitres: m.install_litres,
        removedOn: m.removed_on,
        overdue: m.next_verification_on < today,
      };
      meters.set(m.id, facts);
      bySerial.set(m.serial, [...(bySerial.get(m.serial) ?? []), facts]);
      byAccount.set(m.account_id, [...(byAccount.get(m.account_id) ?? []), facts]);
    }
    const history = new Map<number, ReadingFacts[]>();
    // The average is over the 6 months before this one (averageMonthly); an older previous reading is looked up alone.
    for (const [meterId, p, litres, readOn, kind, status] of recentReadings.all(
      JSON.stringify([...meters.keys()]),
      addMonths(period, -7),
    )) {
      let list = history.get(meterId);
      if (!list) history.set(meterId, (list = []));
      list.push({ period: p, value_litres: litres, read_on: readOn, kind, status });
    }
    // This desk's readings of the month not yet accepted: the meter is read already.
    const pendingHere = new Map<number, number>();
    for (const row of outbox.open('readings.submit')) {
      const args = argsOf('readings.submit', row);
      if (args.period === period) pendingHere.set(args.meterId, args.valueLitres);
    }
    const norm = waterNorm.get(today) ?? null;
    const { readingThresholds } = settings.get().settings;

    const accepted: Checked['accepted'] = [];
    const refused: RoundRefused[] = [];
    const firstLineOf = new Map<number, number>();
    for (const { record, info } of data) {
      const line = info.lines;
      const raw = {
        account: cell(record, 'account'),
        serial: cell(record, 'serial'),
        value: cell(record, 'value'),
        date: cell(record, 'date'),
      };
      const reasons: RoundReason[] = [];
      const refuse = (code: string, params: Record<string, string | number> = {}) => reasons.push({ code, params });
      const done = () => refused.push({ line, ...raw, reasons });

      // The meter: by serial (on the account when one is given), else the account's only meter.
      const account = raw.account ? byNumber.get(accountKey(raw.account)) : undefined;
      if (raw.account && !account) refuse('round.unknownAccount');
      let meter: MeterFacts | undefined;
      if (raw.serial) {
        const candidates = (bySerial.get(raw.serial) ?? []).filter((m) => !account || m.accountId === account.id);
        if (!bySerial.has(raw.serial)) refuse('round.unknownMeter');
        else if (!candidates.length && account) refuse('round.meterNotOnAccount', { account: account.number });
        else if (candidates.filter((m) => m.removedOn === null).length > 1) refuse('round.meterAmbiguous');
        else meter = candidates.find((m) => m.removedOn === null) ?? candidates[0];
      } else if (account) {
        const active = (byAccount.get(account.id) ?? []).filter((m) => m.removedOn === null);
        if (!active.length) refuse('round.noMeter');
        else if (active.length > 1) refuse('round.meterAmbiguous', { meters: active.length });
        else meter = active[0];
      } else if (!raw.account) refuse('round.noMeterGiven');
      const readOn = roundDate(raw.date);
      if (!readOn) refuse('round.badDate');
      else if (readOn > today) refuse('reading.dateInFuture');
      else if (periodOf(readOn) !== period) refuse('reading.periodClosed', { period });
      if (!meter) {
        if (!reasons.length) refuse('round.unknownMeter');
        done();
        continue;
      }
      const owner = accounts.get(meter.accountId)!;
      if (owner.closedOn !== null) refuse('round.accountClosed', { closedOn: owner.closedOn });
      if (meter.removedOn !== null) refuse('round.meterRemoved', { removedOn: meter.removedOn });
      const parsed = parseReading(raw.value, meter.format);
      if (!parsed.ok) refuse(`reading.${parsed.error}`, { int: meter.format.intDigits, frac: meter.format.fracDigits });
      const first = firstLineOf.get(meter.id);
      if (first !== undefined) refuse('round.duplicate', { line: first });
      else firstLineOf.set(meter.id, line);
      const rows = history.get(meter.id) ?? [];
      const thisMonth = rows.find((r) => r.period === period);
      const pending = pendingHere.get(meter.id);
      if (thisMonth || pending !== undefined)
        refuse('round.alreadyThisMonth', { value: formatReading(thisMonth?.value_litres ?? pending!, meter.format) });
      if (!parsed.ok || !readOn || reasons.length) {
        done();
        continue;
      }
      // The checks of a keyed-in reading, against the previous accepted one and the expected consumption.
      const earlier = rows.filter((r) => r.status === 'accepted' && r.period < period);
      const before = earlier[0] ?? previousBefore.get(meter.id, period);
      const previous = before ? { litres: before.value_litres, readOn: before.read_on } : null;
      const average = averageMonthly(earlier, meter.format, period, meter.installLitres);
      const expected =
        average?.litres ??
        (norm === null || owner.activeMeters === 0 ? null : Math.round((norm * owner.residents) / owner.activeMeters));
      const result = checkReading({
        format: meter.format,
        previous,
        litres: parsed.litres,
        readOn,
        kind: 'normal',
        expectedLitres: expected,
        thresholds: readingThresholds,
        verificationOverdue: meter.overdue,
      });
      // A finding that needs a reason is refused too: it is keyed in on the account, with its reason.
      for (const f of result.findings.filter((x) => x.severity !== 'info')) refuse(`reading.${f.code}`, f.params ?? {});
      if (reasons.length) {
        done();
        continue;
      }
      accepted.push({
        line,
        accountId: owner.id,
        accountNumber: owner.number,
        meterId: meter.id,
        serial: meter.serial,
        value: formatReading(parsed.litres, meter.format),
        litres: parsed.litres,
        readOn,
        consumptionLitres: result.consumptionLitres,
        notes: result.findings.filter((f) => f.severity === 'info').map((f) => f.code),
        args: {
          accountId: owner.id,
          meterId: meter.id,
          period,
          valueLitres: parsed.litres,
          readOn,
          kind: 'normal',
          reasons: {},
          basedOn: null,
          held: false,
          source: 'controller',
        },
      });
    }
    const digest = createHash('sha256')
      .update(`${period}\n${accepted.map((a) => `${a.meterId}:${a.litres}:${a.readOn}`).join('\n')}`)
      .digest('hex');
    return { accepted, refused, rows: data.length, delimiter, header, period, digest };
  }

  function preview(input: { fileName: string; csv: string }): RoundCheck {
    const started = performance.now();
    const checked = check(input.csv);
    return {
      fileName: input.fileName,
      period: checked.period,
      delimiter: checked.delimiter,
      header: checked.header,
      rows: checked.rows,
      acceptedCount: checked.accepted.length,
      accepted: checked.accepted.slice(0, ROUND_PREVIEW_ROWS).map(({ args: _args, ...row }) => row),
      refused: checked.refused,
      digest: checked.digest,
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  const save = db.transaction((checked: Checked, fileName: string, operatorId: number | null, at: string) => {
    const seqs = checked.accepted.map((row) =>
      outbox.enqueue('readings.submit', row.args, row.args.accountId, operatorId, at),
    );
    // The account's own trail says where its reading came from; one entry says what the file brought.
    const byAccount = new Map<number, { seqs: number[]; meters: number[] }>();
    checked.accepted.forEach((row, i) => {
      const entry = byAccount.get(row.accountId) ?? { seqs: [], meters: [] };
      entry.seqs.push(seqs[i]!);
      entry.meters.push(row.meterId);
      byAccount.set(row.accountId, entry);
    });
    for (const [accountId, entry] of byAccount)
      audit.record({
        at,
        operatorId,
        accountId,
        operation: 'readings.submit',
        result: 'ok',
        details: { ...entry, source: 'controller', file: fileName },
      });
    audit.record({
      at,
      operatorId,
      accountId: null,
      operation: 'readings.import',
      result: 'ok',
      details: {
        file: fileName,
        rows: checked.rows,
        saved: seqs.length,
        refused: checked.refused.length,
        firstSeq: seqs[0] ?? null,
        lastSeq: seqs.at(-1) ?? null,
      },
    });
    return seqs;
  });

  function apply(input: { fileName: string; csv: string; digest: string }, call: CallContext): RoundApply {
    const checked = check(input.csv);
    // What changed since the preview (a reading arrived by sync, the month turned) is checked again by the operator.
    if (checked.digest !== input.digest)
      throw new AppError('CONFLICT', 'The file checks differently now than in the preview', {
        reason: 'round.changed',
      });
    const seqs = checked.accepted.length ? save(checked, input.fileName, call.operatorId, ctx.now().toISOString()) : [];
    return {
      saved: seqs.length,
      period: checked.period,
      firstSeq: seqs[0] ?? null,
      lastSeq: seqs.at(-1) ?? null,
      state: 'pending',
    };
  }

  return { preview, apply, check };
}
