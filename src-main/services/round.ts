// Readings from a meter-reading round (readings.importCheck / readings.importApply): the controller's
// CSV file as a utility exports it (a header or not; `;`, tab or `,` between cells; a BOM; CRLF; the
// account number and/or the meter's serial, the value as the meter shows it, the date) is checked row
// by row with every check a keyed-in reading gets — the meter's digits, the date (not in the future,
// in the open month, not before the previous reading), not lower than the previous reading, the
// plausibility against the expected consumption (a row that would need a reason is refused: it is
// keyed in on the account with its reason), a meter read twice in the file, a meter already read this
// month — and the accepted rows are saved in one transaction, each a readings.submit mutation with
// source 'controller', plus the audit trail; a refusal or an error saves nothing. The file is read by
// round/file.ts; its data is loaded in a few set-based queries (round/facts.ts), so 10 000 rows are
// checked in well under a second.
import { createHash } from 'node:crypto';
import { almatyDate, periodOf } from '../../src-shared/domain/period';
import { AppError } from '../../src-shared/errors';
import { checkReading } from '../../src-shared/readings/checks';
import { formatReading, parseReading } from '../../src-shared/readings/format';
import {
  ROUND_PREVIEW_ROWS,
  type RoundAccepted,
  type RoundApply,
  type RoundCheck,
  type RoundReason,
  type RoundRefused,
} from '../../src-shared/schemas/round';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import { createAuditRepo } from '../store/repos/audit';
import { createOutboxRepo } from '../store/repos/outbox';
import type { CallContext, ServiceContext } from './context';
import { averageMonthly } from './readings/values';
import { createRoundFacts, type MeterFacts } from './round/facts';
import { accountKey, readRoundFile, roundDate } from './round/file';
import type { createSettingsService } from './settings';

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
  const facts = createRoundFacts(db);
  function check(csv: string): Checked {
    const today = almatyDate(ctx.now());
    const period = periodOf(today);
    const { rows: data, delimiter, header } = readRoundFile(csv);
    const { accounts, byNumber, bySerial, byAccount, history, pendingHere, norm } = facts.load(data, today, period);
    const { readingThresholds } = settings.get().settings;

    const accepted: Checked['accepted'] = [];
    const refused: RoundRefused[] = [];
    const firstLineOf = new Map<number, number>();
    for (const { line, raw } of data) {
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
      const before = earlier[0] ?? facts.previous(meter.id, period);
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
