// The supervisor's side of readings held for a supervisor (src-shared/readings/checks.ts): the queue
// (`readings.held`) and the decision on one (`readings.review`: release, correct or refuse, with a
// note), a mutation like any other, written to the outbox and the audit trail in one transaction. The
// service decides again by the role it knows (appliers/review.ts).
import { AppError } from '../../../src-shared/errors';
import { periodOf } from '../../../src-shared/domain/period';
import { checkReading } from '../../../src-shared/readings/checks';
import { parseReading } from '../../../src-shared/readings/format';
import type { HeldReading, ReadingsReviewInput } from '../../../src-shared/schemas/readings';
import type { MutationArgs } from '../../../src-shared/schemas/outbox';
import { formatAddress, ownerName } from '../../../src-shared/statements';
import { createAuditRepo } from '../../store/repos/audit';
import { argsOf, createOutboxRepo } from '../../store/repos/outbox';
import { createReadingsRepo } from '../../store/repos/readings';
import type { CallContext, ServiceContext } from '../context';
import type { createSettingsService } from '../settings';
import { formatOf, invalid } from './common';

export function createReadingReview(ctx: ServiceContext, settings: ReturnType<typeof createSettingsService>) {
  const repo = createReadingsRepo(ctx.db);
  const outbox = createOutboxRepo(ctx.db);
  const audit = createAuditRepo(ctx.db);

  /** The supervisor's queue: readings held for a supervisor (a decision waiting to be sent takes one off it). */
  function held(limit: number): { readings: HeldReading[]; total: number } {
    const deciding = new Set(outbox.open('readings.review').map((row) => argsOf('readings.review', row).readingId));
    const { rows, total } = repo.held(limit + deciding.size);
    const readings = rows
      .filter((r) => !deciding.has(r.id))
      .slice(0, limit)
      .map((r): HeldReading => {
        const format = { intDigits: r.int_digits, fracDigits: r.frac_digits };
        const previous = repo.recentReadings(r.meter_id).find((x) => x.status === 'accepted' && x.period < r.period);
        return {
          readingId: r.id,
          accountId: r.account_id,
          accountNumber: r.number,
          owner: ownerName({
            kind: r.owner_kind,
            surname: r.surname,
            firstName: r.first_name,
            patronymic: r.patronymic,
            organisation: r.organisation,
          }),
          address: formatAddress({
            streetKind: r.street_kind,
            street: r.street,
            house: r.house,
            apartment: r.apartment,
            apartmentPrefix: r.apartment_prefix,
          }),
          meterId: r.meter_id,
          serial: r.serial,
          format,
          litres: r.value_litres,
          previousLitres: previous?.value_litres ?? null,
          readOn: r.read_on,
          period: r.period,
          kind: r.kind,
          operator: r.operator_name,
          enteredAt: r.entered_at,
          reasons: r.reasons ? (JSON.parse(r.reasons) as Record<string, string>) : null,
        };
      });
    return { readings, total: Math.max(0, total - deciding.size) };
  }

  const saveReview = ctx.db.transaction(
    (args: MutationArgs<'readings.review'>, operatorId: number | null, at: string) => {
      const seq = outbox.enqueue('readings.review', args, args.accountId, operatorId, at);
      audit.record({
        at,
        operatorId,
        accountId: args.accountId,
        operation: 'readings.review',
        result: 'ok',
        details: { seq, readingId: args.readingId, decision: args.decision, note: args.note },
      });
      return seq;
    },
  );

  /** A supervisor's decision on a held reading: release it, correct it or refuse it, with a note. */
  function review(input: ReadingsReviewInput, call: CallContext) {
    const reading = repo.reading(input.readingId);
    if (!reading || reading.account_id !== input.accountId)
      throw new AppError('NOT_FOUND', 'No such reading on this account', { readingId: input.readingId });
    if (reading.status !== 'held' || reading.superseded_by !== null)
      throw new AppError('CONFLICT', 'The reading is no longer held', { reason: 'reading.notHeld' });
    if (outbox.open('readings.review').some((row) => argsOf('readings.review', row).readingId === input.readingId)) {
      throw new AppError('CONFLICT', 'A decision on this reading waits to be sent', {
        reason: 'reading.reviewPending',
      });
    }
    let valueLitres: number | null = null;
    let readOn: string | null = null;
    if (input.decision === 'correct') {
      const meter = repo.meterOf(input.accountId, reading.meter_id)!;
      const format = formatOf(meter);
      const parsed = parseReading(input.value ?? '', format);
      if (!parsed.ok)
        throw invalid([{ path: 'value', code: `reading.${parsed.error}`, message: `Reading format: ${parsed.error}` }]);
      readOn = input.readOn ?? reading.read_on;
      if (periodOf(readOn) !== reading.period)
        throw invalid([
          { path: 'readOn', code: 'reading.periodMismatch', message: 'The date is not in the reading’s month' },
        ]);
      const previous = repo
        .recentReadings(reading.meter_id)
        .find((x) => x.status === 'accepted' && x.period < reading.period);
      const result = checkReading({
        format,
        previous: previous ? { litres: previous.value_litres, readOn: previous.read_on } : null,
        litres: parsed.litres,
        readOn,
        kind: reading.kind === 'rollover' ? 'rollover' : 'normal',
        expectedLitres: null,
        thresholds: settings.get().settings.readingThresholds,
        verificationOverdue: false,
      });
      const refusal = result.findings.find((f) => f.severity === 'error');
      if (refusal)
        throw invalid([{ path: 'value', code: `reading.${refusal.code}`, message: `Check failed: ${refusal.code}` }]);
      valueLitres = parsed.litres;
    }
    const args: MutationArgs<'readings.review'> = {
      accountId: input.accountId,
      meterId: reading.meter_id,
      readingId: input.readingId,
      decision: input.decision,
      note: input.note,
      valueLitres,
      readOn,
    };
    const seq = saveReview(args, call.operatorId, ctx.now().toISOString());
    return { accountId: input.accountId, readingId: input.readingId, seq, state: 'pending' as const };
  }

  return { held, review };
}
