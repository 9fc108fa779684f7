// readings.list, readings.submit, readings.history and meters.replace: the seed's «Передача
// показаний», offline-first. A submitted reading (or a meter replacement) is written at once, in one
// transaction, to the outbox (which is also the pending overlay) and the audit trail; it never needs
// the network. The history shows every version the service keeps (a correction never overwrites).
// The supervisor's queue and decisions (readings.held, readings.review) are readings/review.ts, the
// meter's history readings/meter-history.ts, a replacement readings/replace.ts.
import { AppError, type FieldIssue } from '../../src-shared/errors';
import { almatyDate, periodOf } from '../../src-shared/domain/period';
import {
  checkReading,
  findingReasons,
  heldForSupervisor,
  isSupervisorFinding,
  isSupervisorRole,
  unresolvedFindings,
  type ReasonedFinding,
} from '../../src-shared/readings/checks';
import { parseReading } from '../../src-shared/readings/format';
import type { MeterReadings, ReadingsList, ReadingsSubmitInput } from '../../src-shared/schemas/readings';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import { createAuditRepo } from '../store/repos/audit';
import { argsOf, createOutboxRepo } from '../store/repos/outbox';
import { createReadingsRepo } from '../store/repos/readings';
import type { CallContext, ServiceContext } from './context';
import type { createSettingsService } from './settings';
import { formatOf, invalid } from './readings/common';
import { createMeterHistory } from './readings/meter-history';
import { createMeterReplacement } from './readings/replace';
import { createReadingReview } from './readings/review';
import { averageMonthly, fromOutbox, fromReplicated, verificationOf } from './readings/values';

/** The args of a `readings.submit` mutation as stored in the outbox and pushed to the service (the shared schema's type). */
export type ReadingMutationArgs = MutationArgs<'readings.submit'>;

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
        // A supervisor's reason from another role; a reason from another finding's list is the finding's own refusal.
        const given = entry.reasons[finding.code];
        const byRole =
          !supervisor &&
          isSupervisorFinding(finding.code) &&
          given !== undefined &&
          (findingReasons[finding.code as ReasonedFinding] as readonly string[] | undefined)?.includes(given) === true;
        issues.push({
          path: `entries.${index}.value`,
          code: byRole ? 'reading.supervisorOnly' : `reading.${finding.code}`,
          message: `Check failed: ${finding.code}`,
        });
      }
      const held = heldForSupervisor(result.findings, supervisor);
      // A reading carries reasons only for the findings it has: one for another finding is refused,
      // never stored (the screen sends only what the findings ask for).
      const asked = new Set(result.findings.filter((f) => f.severity === 'reason').map((f) => f.code as string));
      for (const finding of Object.keys(entry.reasons).filter((f) => !asked.has(f)))
        issues.push({
          path: `entries.${index}.reasons`,
          code: 'reading.reasonNotAsked',
          message: `A reason for ${finding.slice(0, 40)}, which this reading does not have`,
        });
      const reasons = entry.reasons;
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

  const history = createMeterHistory(ctx.db);
  const replace = createMeterReplacement(ctx, list);
  const { held, review } = createReadingReview(ctx, settings);

  return { list, submit, history, replace, held, review };
}
