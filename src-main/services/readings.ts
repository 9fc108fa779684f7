// readings.list and readings.submit: the seed's «Передача показаний», offline-first. A submitted
// reading is written at once, in one transaction, to the outbox (which is also the pending overlay)
// and the audit trail; it never needs the network.
import { AppError } from '../../src-shared/errors';
import { addDays, addMonths, almatyDate, periodOf, type IsoDate } from '../../src-shared/domain/period';
import { checkReading, consumptionOf, unresolvedFindings, type ReadingKind } from '../../src-shared/readings/checks';
import { parseReading, type MeterFormat } from '../../src-shared/readings/format';
import type { MeterReadings, ReadingsList, ReadingsSubmitInput, ReadingValue } from '../../src-shared/schemas/readings';
import type { FieldIssue } from '../../src-shared/errors';
import { createAuditRepo } from '../store/repos/audit';
import { createOutboxRepo, type OutboxRow } from '../store/repos/outbox';
import { createReadingsRepo, type MeterRow, type ReadingRow } from '../store/repos/readings';
import type { CallContext, ServiceContext } from './context';
import type { createSettingsService } from './settings';

/** The args of a `readings.submit` mutation as stored in the outbox and pushed to the service. */
export interface ReadingMutationArgs {
  accountId: number;
  meterId: number;
  period: string;
  valueLitres: number;
  readOn: IsoDate;
  kind: ReadingKind;
  reasons: Record<string, string>;
  /** the version of this period's reading the operator saw (null: none); another desk's newer one makes this a conflict */
  basedOn: number | null;
}

const DUE_SOON_DAYS = 30;
const AVERAGE_MONTHS = 6;

function formatOf(meter: MeterRow): MeterFormat {
  return { intDigits: meter.int_digits, fracDigits: meter.frac_digits };
}

function verificationOf(meter: MeterRow, today: IsoDate): MeterReadings['verification'] {
  if (meter.next_verification_on < today) return 'overdue';
  if (meter.next_verification_on <= addDays(today, DUE_SOON_DAYS)) return 'dueSoon';
  return 'ok';
}

function fromReplicated(row: ReadingRow): ReadingValue {
  return { litres: row.value_litres, readOn: row.read_on, period: row.period, source: row.source, kind: row.kind, state: 'applied', seq: null, error: null, rejection: null };
}

function fromOutbox(row: OutboxRow): ReadingValue & { meterId: number } {
  const args = JSON.parse(row.args) as ReadingMutationArgs;
  return {
    meterId: args.meterId,
    litres: args.valueLitres,
    readOn: args.readOn,
    period: args.period,
    source: 'operator',
    kind: args.kind,
    state: row.state === 'sent' ? 'sent' : row.state === 'rejected' ? 'rejected' : 'pending',
    seq: row.seq,
    error: row.error_message,
    rejection: row.state === 'rejected' ? { code: row.error_code, details: row.error_details ? (JSON.parse(row.error_details) as Record<string, unknown>) : null } : null,
  };
}

/** Average monthly consumption over the recent months of replicated history (newest first). */
function averageMonthly(rows: ReadingRow[], format: MeterFormat, beforePeriod: string): number | null {
  const history = rows.filter((r) => r.period < beforePeriod && r.period >= addMonths(beforePeriod, -AVERAGE_MONTHS - 1));
  if (history.length < 2) return null;
  let total = 0;
  for (let i = 0; i < history.length - 1; i++) {
    const newer = history[i]!;
    const older = history[i + 1]!;
    total += consumptionOf(older.value_litres, newer.value_litres, newer.kind, format) ?? 0;
  }
  const months = Math.max(1, monthsBetween(history[history.length - 1]!.period, history[0]!.period));
  return Math.round(total / months);
}

function monthsBetween(a: string, b: string): number {
  const [ay, am] = a.split('-').map(Number) as [number, number];
  const [by, bm] = b.split('-').map(Number) as [number, number];
  return (by - ay) * 12 + (bm - am);
}

export function createReadingsService(ctx: ServiceContext, settings: ReturnType<typeof createSettingsService>) {
  const repo = createReadingsRepo(ctx.db);
  const outbox = createOutboxRepo(ctx.db);
  const audit = createAuditRepo(ctx.db);

  function list(accountId: number): ReadingsList {
    const account = repo.account(accountId);
    if (!account) throw new AppError('NOT_FOUND', 'No such account', { accountId });
    const today = almatyDate(ctx.now());
    const period = periodOf(today);
    const meters = repo.meters(accountId);
    const local = outbox.openForAccount(accountId, 'readings.submit').map(fromOutbox);
    const norm = repo.waterNorm(today);
    const normPerMeter = norm === null || meters.length === 0 ? null : Math.round((norm * account.residents) / meters.length);
    const { readingThresholds } = settings.get().settings;

    return {
      accountId,
      period,
      today,
      residents: account.residents,
      thresholds: readingThresholds,
      meters: meters.map((meter): MeterReadings => {
        const format = formatOf(meter);
        const replicated = repo.recentReadings(meter.id);
        const mine = local.filter((r) => r.meterId === meter.id && r.state !== 'rejected');
        const thisPeriod = [
          ...mine.filter((r) => r.period === period).reverse(),
          ...replicated.filter((r) => r.period === period).map(fromReplicated),
        ];
        const earlier = [...mine.filter((r) => r.period < period).reverse(), ...replicated.filter((r) => r.period < period).map(fromReplicated)];
        const average = averageMonthly(replicated, format, period);
        const rejected = local.filter((r) => r.meterId === meter.id && r.state === 'rejected');
        return {
          meterId: meter.id,
          serial: meter.serial,
          place: meter.place,
          installedOn: meter.installed_on,
          verifiedOn: meter.verified_on,
          nextVerificationOn: meter.next_verification_on,
          verification: verificationOf(meter, today),
          format,
          previous: earlier[0] ?? null,
          current: thisPeriod[0] ?? null,
          corrections: [...thisPeriod.slice(1), ...rejected.filter((r) => r.period === period)],
          expectedLitres: average ?? normPerMeter,
          expectedFrom: average !== null ? 'history' : normPerMeter !== null ? 'norm' : null,
        };
      }),
    };
  }

  const save = ctx.db.transaction((mutations: ReadingMutationArgs[], operatorId: number | null, at: string) => {
    const seqs = mutations.map((args) => outbox.enqueue('readings.submit', args, args.accountId, operatorId, at));
    audit.record({ at, operatorId, accountId: mutations[0]!.accountId, operation: 'readings.submit', result: 'ok', details: { seqs, meters: mutations.map((m) => m.meterId) } });
    return seqs;
  });

  function submit(input: ReadingsSubmitInput, call: CallContext) {
    const state = list(input.accountId);
    const readOn = input.readOn ?? state.today;
    if (readOn > state.today) throw invalid([{ path: 'readOn', code: 'reading.dateInFuture', message: 'Reading date is in the future' }]);
    if (periodOf(readOn) !== state.period) throw invalid([{ path: 'readOn', code: 'reading.periodClosed', message: 'Only the current period can be entered' }]);

    const issues: FieldIssue[] = [];
    const seen = new Set<number>();
    const mutations: ReadingMutationArgs[] = [];
    const saved: { meterId: number; litres: number; consumptionLitres: number | null }[] = [];
    input.entries.forEach((entry, index) => {
      const meter = state.meters.find((m) => m.meterId === entry.meterId);
      if (!meter) throw new AppError('NOT_FOUND', 'The meter does not belong to this account', { meterId: entry.meterId });
      if (seen.has(entry.meterId)) {
        issues.push({ path: `entries.${index}.meterId`, code: 'reading.duplicateMeter', message: 'The same meter twice' });
        return;
      }
      seen.add(entry.meterId);
      const parsed = parseReading(entry.value, meter.format);
      if (!parsed.ok) {
        issues.push({ path: `entries.${index}.value`, code: `reading.${parsed.error}`, message: `Reading format: ${parsed.error}` });
        return;
      }
      const result = checkReading({
        format: meter.format,
        previous: meter.previous ? { litres: meter.previous.litres, readOn: meter.previous.readOn } : null,
        litres: parsed.litres,
        readOn,
        kind: entry.kind,
        expectedLitres: meter.expectedLitres,
        thresholds: state.thresholds,
        verificationOverdue: meter.verification === 'overdue',
      });
      for (const finding of unresolvedFindings(result.findings, entry.reasons)) {
        issues.push({ path: `entries.${index}.value`, code: `reading.${finding.code}`, message: `Check failed: ${finding.code}` });
      }
      mutations.push({
        accountId: input.accountId, meterId: entry.meterId, period: state.period, valueLitres: parsed.litres, readOn, kind: entry.kind, reasons: entry.reasons,
        basedOn: repo.currentVersion(entry.meterId, state.period),
      });
      saved.push({ meterId: entry.meterId, litres: parsed.litres, consumptionLitres: result.consumptionLitres });
    });
    if (issues.length > 0) throw invalid(issues);
    if (input.entries.length < state.meters.length && !input.partialConfirmed) {
      throw invalid([{ path: 'partialConfirmed', code: 'reading.partialNotConfirmed', message: `Readings for ${input.entries.length} of ${state.meters.length} meters` }], { given: input.entries.length, total: state.meters.length });
    }
    const seqs = save(mutations, call.operatorId, ctx.now().toISOString());
    return { accountId: input.accountId, period: state.period, saved: saved.map((s, i) => ({ ...s, seq: seqs[i]! })), state: 'pending' as const };
  }

  return { list, submit };
}

function invalid(fields: FieldIssue[], extra: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION', 'The readings were not saved', { fields, ...extra });
}
