// meters.replace: the old meter's final reading (checked like any reading), the new one's serial,
// digits and reading at installation, written in one transaction to the outbox and the audit trail.
import { AppError, type FieldIssue } from '../../../src-shared/errors';
import { periodOf } from '../../../src-shared/domain/period';
import { checkReading } from '../../../src-shared/readings/checks';
import { parseReading } from '../../../src-shared/readings/format';
import type { ReadingsList } from '../../../src-shared/schemas/readings';
import type { MutationArgs } from '../../../src-shared/schemas/outbox';
import { createAuditRepo } from '../../store/repos/audit';
import { createOutboxRepo } from '../../store/repos/outbox';
import type { CallContext, ServiceContext } from '../context';

export function createMeterReplacement(ctx: ServiceContext, list: (accountId: number) => ReadingsList) {
  const outbox = createOutboxRepo(ctx.db);
  const audit = createAuditRepo(ctx.db);
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

  return replace;
}
