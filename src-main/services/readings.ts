// readings.list, readings.submit, readings.history and meters.replace: the seed's «Передача
// показаний», offline-first. A submitted reading (or a meter replacement) is written at once, in one
// transaction, to the outbox (which is also the pending overlay) and the audit trail; it never needs
// the network. The history shows every version the service keeps (a correction never overwrites).
// The supervisor's queue and decisions (readings.held, readings.review) are readings/review.ts.
import { AppError } from '../../src-shared/errors';
import { addDays, addMonths, almatyDate, periodOf, type IsoDate } from '../../src-shared/domain/period';
import {
  checkReading,
  consumptionOf,
  heldForSupervisor,
  isSupervisorRole,
  unresolvedFindings,
} from '../../src-shared/readings/checks';
import { parseReading, type MeterFormat } from '../../src-shared/readings/format';
import type {
  MeterReadings,
  ReadingHistoryEntry,
  ReadingsList,
  ReadingsSubmitInput,
  ReadingValue,
} from '../../src-shared/schemas/readings';
import type { MutationArgs } from '../../src-shared/schemas/sync';
import { clientIdOf } from '../store/repos/sync-state';
import type { FieldIssue } from '../../src-shared/errors';
import { createAuditRepo } from '../store/repos/audit';
import { argsOf, createOutboxRepo, type OutboxRow } from '../store/repos/outbox';
import { createReadingsRepo, type MeterRow, type ReadingRow } from '../store/repos/readings';
import type { CallContext, ServiceContext } from './context';
import type { createSettingsService } from './settings';
import { formatOf, invalid } from './readings/common';
import { createReadingReview } from './readings/review';

/** The args of a `readings.submit` mutation as stored in the outbox and pushed to the service (the shared schema's type). */
export type ReadingMutationArgs = MutationArgs<'readings.submit'>;

const DUE_SOON_DAYS = 30;
const AVERAGE_MONTHS = 6;

function verificationOf(meter: MeterRow, today: IsoDate): MeterReadings['verification'] {
  if (meter.next_verification_on < today) return 'overdue';
  if (meter.next_verification_on <= addDays(today, DUE_SOON_DAYS)) return 'dueSoon';
  return 'ok';
}

function fromReplicated(row: ReadingRow): ReadingValue {
  return {
    litres: row.value_litres,
    readOn: row.read_on,
    period: row.period,
    source: row.source,
    kind: row.kind,
    state: 'applied',
    seq: null,
    error: null,
    rejection: null,
    status: row.status,
    readingId: row.id,
    review: row.reviewed_at ? { by: row.reviewer_name, at: row.reviewed_at, note: row.review_note ?? '' } : null,
  };
}

function fromOutbox(row: OutboxRow): ReadingValue & { meterId: number } {
  const args = argsOf('readings.submit', row);
  return {
    meterId: args.meterId,
    litres: args.valueLitres,
    readOn: args.readOn,
    period: args.period,
    source: args.source ?? 'operator', // rows stored before the field: the operator's
    kind: args.kind,
    state: row.state === 'sent' ? 'sent' : row.state === 'rejected' ? 'rejected' : 'pending',
    seq: row.seq,
    error: row.error_message,
    rejection:
      row.state === 'rejected'
        ? {
            code: row.error_code,
            details: row.error_details ? (JSON.parse(row.error_details) as Record<string, unknown>) : null,
          }
        : null,
    status: args.held ? 'held' : 'accepted',
    readingId: null,
    review: null,
  };
}

/**
 * Average monthly consumption over the recent months of replicated history (newest first), and over
 * how many months: what the readings check expects (also drawn month by month on the card's history).
 */
export function averageMonthly(
  rows: Pick<ReadingRow, 'period' | 'value_litres' | 'kind'>[],
  format: MeterFormat,
  beforePeriod: string,
  installLitres: number,
): { litres: number; months: number } | null {
  const history = rows.filter(
    (r) => r.period < beforePeriod && r.period >= addMonths(beforePeriod, -AVERAGE_MONTHS - 1),
  );
  if (history.length < 2) return null;
  let total = 0;
  for (let i = 0; i < history.length - 1; i++) {
    const newer = history[i]!;
    const older = history[i + 1]!;
    total += consumptionOf(older.value_litres, newer.value_litres, newer.kind, format, installLitres) ?? 0;
  }
  const months = Math.max(1, monthsBetween(history[history.length - 1]!.period, history[0]!.period));
  return { litres: Math.round(total / months), months };
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
    const replacements = outbox
      .openForAccount(accountId, 'meters.replace')
      .map((row) => ({ row, args: argsOf('meters.replace', row) }));
    const norm = repo.waterNorm(today);
    const normPerMeter =
      norm === null || meters.length === 0 ? null : Math.round((norm * account.residents) / meters.length);
    const { readingThresholds } = settings.get().settings;

    return {
      accountId,
      period,
      today,
      residents: account.residents,
      thresholds: readingThresholds,
      meters: meters.map((meter): MeterReadings => {
        const format = formatOf(meter);
        const shown = repo.recentReadings(meter.id);
        // What counts (the previous reading, the average): accepted readings only; a held one is shown, not used.
        const replicated = shown.filter((r) => r.status === 'accepted');
        const mine = local.filter((r) => r.meterId === meter.id && r.state !== 'rejected');
        const thisPeriod = [
          ...mine.filter((r) => r.period === period).reverse(),
          ...shown.filter((r) => r.period === period).map(fromReplicated),
        ];
        const earlier = [
          ...mine.filter((r) => r.period < period).reverse(),
          ...replicated.filter((r) => r.period < period).map(fromReplicated),
        ];
        const average = averageMonthly(replicated, format, period, meter.install_litres);
        const rejected = local.filter((r) => r.meterId === meter.id && r.state === 'rejected');
        const replacing = replacements.filter((r) => r.args.meterId === meter.id).at(-1);
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
          expectedLitres: average?.litres ?? normPerMeter,
          expectedFrom: average !== null ? 'history' : normPerMeter !== null ? 'norm' : null,
          expectedMonths: average?.months ?? null,
          installLitres: meter.install_litres,
          replacing: replacing
            ? {
                newSerial: replacing.args.newSerial,
                readOn: replacing.args.readOn,
                state:
                  replacing.row.state === 'rejected' ? 'rejected' : replacing.row.state === 'sent' ? 'sent' : 'pending',
              }
            : null,
        };
      }),
    };
  }

  const save = ctx.db.transaction((mutations: ReadingMutationArgs[], operatorId: number | null, at: string) => {
    const seqs = mutations.map((args) => outbox.enqueue('readings.submit', args, args.accountId, operatorId, at));
    const held = mutations.filter((m) => m.held).map((m) => m.meterId);
    audit.record({
      at,
      operatorId,
      accountId: mutations[0]!.accountId,
      operation: 'readings.submit',
      result: 'ok',
      details: { seqs, meters: mutations.map((m) => m.meterId), ...(held.length ? { held } : {}) },
    });
    return seqs;
  });

  function submit(input: ReadingsSubmitInput, call: CallContext) {
    const state = list(input.accountId);
    const readOn = input.readOn ?? state.today;
    if (readOn > state.today)
      throw invalid([{ path: 'readOn', code: 'reading.dateInFuture', message: 'Reading date is in the future' }]);
    if (periodOf(readOn) !== state.period)
      throw invalid([
        { path: 'readOn', code: 'reading.periodClosed', message: 'Only the current period can be entered' },
      ]);

    const issues: FieldIssue[] = [];
    const seen = new Set<number>();
    const mutations: ReadingMutationArgs[] = [];
    const saved: { meterId: number; litres: number; consumptionLitres: number | null; held: boolean }[] = [];
    // A supervisor's findings are a supervisor's to accept; another role's such reading is held for one.
    const supervisor = isSupervisorRole(call.role);
    input.entries.forEach((entry, index) => {
      const meter = state.meters.find((m) => m.meterId === entry.meterId);
      if (!meter)
        throw new AppError('NOT_FOUND', 'The meter does not belong to this account', { meterId: entry.meterId });
      if (seen.has(entry.meterId)) {
        issues.push({
          path: `entries.${index}.meterId`,
          code: 'reading.duplicateMeter',
          message: 'The same meter twice',
        });
        return;
      }
      seen.add(entry.meterId);
      const parsed = parseReading(entry.value, meter.format);
      if (!parsed.ok) {
        issues.push({
          path: `entries.${index}.value`,
          code: `reading.${parsed.error}`,
          message: `Reading format: ${parsed.error}`,
        });
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
      for (const finding of unresolvedFindings(result.findings, entry.reasons, supervisor)) {
        const byRole = !supervisor && finding.severity === 'reason' && entry.reasons[finding.code] !== undefined;
        issues.push({
          path: `entries.${index}.value`,
          code: byRole ? 'reading.supervisorOnly' : `reading.${finding.code}`,
          message: `Check failed: ${finding.code}`,
        });
      }
      const held = heldForSupervisor(result.findings, supervisor);
      // A reason is kept only for a finding the reading has (the rest were for another value).
      const asked = new Set(result.findings.filter((f) => f.severity === 'reason').map((f) => f.code as string));
      const reasons = Object.fromEntries(Object.entries(entry.reasons).filter(([finding]) => asked.has(finding)));
      mutations.push({
        accountId: input.accountId,
        meterId: entry.meterId,
        period: state.period,
        valueLitres: parsed.litres,
        readOn,
        kind: entry.kind,
        reasons,
        basedOn: repo.currentVersion(entry.meterId, state.period),
        held,
        source: 'operator',
      });
      saved.push({ meterId: entry.meterId, litres: parsed.litres, consumptionLitres: result.consumptionLitres, held });
    });
    if (issues.length > 0) throw invalid(issues);
    if (input.entries.length < state.meters.length && !input.partialConfirmed) {
      throw invalid(
        [
          {
            path: 'partialConfirmed',
            code: 'reading.partialNotConfirmed',
            message: `Readings for ${input.entries.length} of ${state.meters.length} meters`,
          },
        ],
        { given: input.entries.length, total: state.meters.length },
      );
    }
    const seqs = save(mutations, call.operatorId, ctx.now().toISOString());
    return {
      accountId: input.accountId,
      period: state.period,
      saved: saved.map((s, i) => ({ ...s, seq: seqs[i]! })),
      state: 'pending' as const,
    };
  }

  /** Every reading of a meter the service keeps, newest first, with this desk's changes not yet accepted on top. */
  function history(accountId: number, meterId: number) {
    const meter = repo.meters(accountId).find((m) => m.id === meterId) ?? repo.meterOf(accountId, meterId);
    if (!meter) throw new AppError('NOT_FOUND', 'The meter does not belong to this account', { meterId });
    const me = clientIdOf(ctx.db);
    const local = outbox
      .openForAccount(accountId, 'readings.submit')
      .map(fromOutbox)
      .filter((r) => r.meterId === meterId)
      .reverse()
      .map((r): ReadingHistoryEntry => ({
        litres: r.litres,
        readOn: r.readOn,
        period: r.period,
        kind: r.kind,
        source: r.source,
        operator: null,
        reasons: null,
        desk: 'this',
        enteredAt: null,
        superseded: false,
        state: r.state,
        status: r.status,
        review: null,
      }));
    const kept = repo.history(meterId).map((r): ReadingHistoryEntry => ({
      litres: r.value_litres,
      readOn: r.read_on,
      period: r.period,
      kind: r.kind,
      source: r.source,
      operator: r.operator_name,
      reasons: r.reasons ? (JSON.parse(r.reasons) as Record<string, string>) : null,
      desk: r.client_id === null ? null : r.client_id === me ? 'this' : 'other',
      enteredAt: r.entered_at,
      superseded: r.superseded_by !== null,
      state: 'applied',
      status: r.status,
      review: r.reviewed_at ? { by: r.reviewer_name, at: r.reviewed_at, note: r.review_note ?? '' } : null,
    }));
    return { meterId, serial: meter.serial, format: formatOf(meter), entries: [...local, ...kept] };
  }

  const saveReplacement = ctx.db.transaction(
    (args: MutationArgs<'meters.replace'>, operatorId: number | null, at: string) => {
      const seq = outbox.enqueue('meters.replace', args, args.accountId, operatorId, at);
      audit.record({
        at,
        operatorId,
        accountId: args.accountId,
        operation: 'meters.replace',
        result: 'ok',
        details: { seq, meterId: args.meterId, newSerial: args.newSerial },
      });
      return seq;
    },
  );

  /** A meter replaced: the old one's final reading, the new one's serial, digits and reading at installation. */
  function replace(
    input: {
      accountId: number;
      meterId: number;
      finalValue: string;
      installValue: string;
      newSerial: string;
      intDigits: number;
      fracDigits: number;
      readOn?: string;
    },
    call: CallContext,
  ) {
    const state = list(input.accountId);
    const meter = state.meters.find((m) => m.meterId === input.meterId);
    if (!meter)
      throw new AppError('NOT_FOUND', 'The meter does not belong to this account', { meterId: input.meterId });
    const readOn = input.readOn ?? state.today;
    const issues: FieldIssue[] = [];
    if (readOn > state.today)
      issues.push({ path: 'readOn', code: 'reading.dateInFuture', message: 'The date is in the future' });
    else if (periodOf(readOn) !== state.period)
      issues.push({ path: 'readOn', code: 'reading.periodClosed', message: 'Only the current month' });
    if (meter.replacing && meter.replacing.state !== 'rejected')
      issues.push({ path: 'meterId', code: 'meter.replacementPending', message: 'A replacement waits already' });
    const final = parseReading(input.finalValue, meter.format);
    if (!final.ok)
      issues.push({ path: 'finalValue', code: `reading.${final.error}`, message: `Reading format: ${final.error}` });
    else {
      const result = checkReading({
        format: meter.format,
        previous: meter.previous ? { litres: meter.previous.litres, readOn: meter.previous.readOn } : null,
        litres: final.litres,
        readOn,
        kind: 'normal',
        expectedLitres: null,
        thresholds: state.thresholds,
        verificationOverdue: false,
      });
      for (const f of result.findings.filter((x) => x.severity === 'error'))
        issues.push({ path: 'finalValue', code: `reading.${f.code}`, message: `Check failed: ${f.code}` });
    }
    const newFormat = { intDigits: input.intDigits, fracDigits: input.fracDigits };
    const install = parseReading(input.installValue, newFormat);
    if (!install.ok)
      issues.push({
        path: 'installValue',
        code: `reading.${install.error}`,
        message: `Reading format: ${install.error}`,
      });
    if (issues.length || !final.ok || !install.ok)
      throw new AppError('VALIDATION', 'The replacement was not saved', { fields: issues });
    const args: MutationArgs<'meters.replace'> = {
      accountId: input.accountId,
      meterId: input.meterId,
      period: state.period,
      readOn,
      finalLitres: final.litres,
      newSerial: input.newSerial,
      intDigits: input.intDigits,
      fracDigits: input.fracDigits,
      installLitres: install.litres,
    };
    const seq = saveReplacement(args, call.operatorId, ctx.now().toISOString());
    return { accountId: input.accountId, meterId: input.meterId, seq, state: 'pending' as const };
  }

  const { held, review } = createReadingReview(ctx, settings);

  return { list, submit, history, replace, held, review };
}
