// meters.replace on the service: a meter replaced as a device change. The old meter gets its final
// reading and is closed on the day; a new meter (the serial, digits and reading at installation the
// operator keyed in) starts that day from its installation reading. The month's consumption is then
// old final − old previous + new current − new installation, and statements show both meters.
import { addDays, almatyDate, periodOf } from '../../src-shared/domain/period';
import { checkReading } from '../../src-shared/readings/checks';
import { resolutionLitres, rolloverLitres, type MeterFormat } from '../../src-shared/readings/format';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import { loadAccounts, Rejection, requireInOffice, type AccountFacts, type Applier } from './types';

/** Years between a new meter's installation (its verification) and its next verification. */
const VERIFICATION_YEARS = 4;

interface Context {
  accounts: Map<number, AccountFacts>;
  meters: Map<
    number,
    {
      accountId: number;
      format: MeterFormat;
      removedOn: string | null;
      place: string;
      previous: { litres: number; readOn: string } | null;
      current: number | null;
    }
  >;
  meterIds: number[];
  readingIds: number[];
}

interface Effect {
  oldMeterId: number;
  accountId: number;
  newMeterId: number;
  place: string;
  readOn: string;
  period: string;
  finalLitres: number;
  finalReadingId: number;
  supersedes: number | null;
  installReadingId: number;
  newSerial: string;
  intDigits: number;
  fracDigits: number;
  installLitres: number;
  operatorId: number;
  clientId: string;
  enteredAt: string;
}

const fits = (litres: number, format: MeterFormat) =>
  litres < rolloverLitres(format) && litres % resolutionLitres(format) === 0;

export const metersApplier: Applier<'meters.replace', Context, Effect> = {
  async load(sql, _office, args: MutationArgs<'meters.replace'>[]) {
    const accounts = await loadAccounts(
      sql,
      args.map((a) => a.accountId),
    );
    const ids = [...new Set(args.map((a) => a.meterId))].sort((a, b) => a - b);
    const rows = await sql.query<{
      id: number;
      account_id: number;
      int_digits: number;
      frac_digits: number;
      removed_on: string | null;
      place: string;
      prev_litres: number | null;
      prev_read_on: string | null;
      cur_id: number | null;
    }>(
      `SELECT m.id, m.account_id, m.int_digits, m.frac_digits, m.removed_on, m.place, prev.value_litres AS prev_litres, prev.read_on AS prev_read_on, cur.id AS cur_id
         FROM meters m
         LEFT JOIN LATERAL (SELECT value_litres, read_on FROM readings r WHERE r.meter_id = m.id AND r.superseded_by IS NULL AND r.status = 'accepted' AND r.period < $2
                            ORDER BY r.read_on DESC, r.id DESC LIMIT 1) prev ON TRUE
         LEFT JOIN LATERAL (SELECT id FROM readings r WHERE r.meter_id = m.id AND r.superseded_by IS NULL AND r.period = $2 ORDER BY r.id DESC LIMIT 1) cur ON TRUE
        WHERE m.id = ANY($1::bigint[]) ORDER BY m.id FOR NO KEY UPDATE OF m`,
      [ids, args[0]!.period],
    );
    const meters = new Map(
      rows.map((m) => [
        Number(m.id),
        {
          accountId: Number(m.account_id),
          format: { intDigits: Number(m.int_digits), fracDigits: Number(m.frac_digits) },
          removedOn: m.removed_on,
          place: m.place,
          previous: m.prev_litres === null ? null : { litres: Number(m.prev_litres), readOn: m.prev_read_on! },
          current: m.cur_id === null ? null : Number(m.cur_id),
        },
      ]),
    );
    const take = async (sequence: string, n: number) =>
      (await sql.query<{ id: number }>(`SELECT nextval('${sequence}') AS id FROM generate_series(1, $1)`, [n])).map(
        (r) => Number(r.id),
      );
    return {
      accounts,
      meters,
      meterIds: await take('meters_id', args.length),
      readingIds: await take('readings_id', args.length * 2),
    };
  },

  check(context, office, args, meta, now) {
    requireInOffice(context.accounts, office, args.accountId);
    const meter = context.meters.get(args.meterId);
    if (!meter || meter.accountId !== args.accountId)
      throw new Rejection('reading.meterNotOnAccount', 'The meter is not on this account');
    if (meter.removedOn !== null) throw new Rejection('meter.alreadyReplaced', 'The meter was removed already');
    const today = almatyDate(now);
    if (periodOf(args.readOn) !== args.period)
      throw new Rejection('reading.periodMismatch', 'The date is not in the period');
    if (args.readOn > today) throw new Rejection('reading.dateInFuture', 'The date is in the future');
    if (args.period < periodOf(today))
      throw new Rejection('reading.periodClosed', `The period ${args.period} is closed`);
    if (!fits(args.finalLitres, meter.format))
      throw new Rejection('reading.outOfRange', "The final reading does not fit the old meter's digits");
    const newFormat = { intDigits: args.intDigits, fracDigits: args.fracDigits };
    if (!fits(args.installLitres, newFormat))
      throw new Rejection('meter.installOutOfRange', "The installation reading does not fit the new meter's digits");
    const result = checkReading({
      format: meter.format,
      previous: meter.previous,
      litres: args.finalLitres,
      readOn: args.readOn,
      kind: 'normal',
      expectedLitres: null,
      thresholds: { highPercent: 100, lowPercent: 100, veryHighFactor: 100 },
      verificationOverdue: false,
    });
    const refusal = result.findings.find((f) => f.severity === 'error');
    if (refusal)
      throw new Rejection(`reading.${refusal.code}`, `Check failed: ${refusal.code}`, refusal.params ?? null);
    meter.removedOn = args.readOn; // a second replacement of it in this batch is refused
    return {
      oldMeterId: args.meterId,
      accountId: args.accountId,
      newMeterId: context.meterIds.shift()!,
      place: meter.place,
      readOn: args.readOn,
      period: args.period,
      finalLitres: args.finalLitres,
      finalReadingId: context.readingIds.shift()!,
      supersedes: meter.current,
      installReadingId: context.readingIds.shift()!,
      newSerial: args.newSerial,
      intDigits: args.intDigits,
      fracDigits: args.fracDigits,
      installLitres: args.installLitres,
      operatorId: meta.operatorId,
      clientId: meta.clientId,
      enteredAt: meta.createdAt,
    };
  },

  async write(sql, effects) {
    for (const e of effects) {
      await sql.query('UPDATE meters SET removed_on = $2 WHERE id = $1', [e.oldMeterId, e.readOn]);
      await sql.query(
        `INSERT INTO meters (id, account_id, serial, place, installed_on, verified_on, next_verification_on, int_digits, frac_digits, removed_on, install_litres)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, NULL, $9)`,
        [
          e.newMeterId,
          e.accountId,
          e.newSerial,
          e.place,
          e.readOn,
          addDays(e.readOn, VERIFICATION_YEARS * 365),
          e.intDigits,
          e.fracDigits,
          e.installLitres,
        ],
      );
      await sql.query(
        `INSERT INTO readings (id, meter_id, period, value_litres, read_on, source, kind, operator_id, client_id, entered_at, reasons)
         VALUES ($1, $2, $3, $4, $5, 'operator', 'normal', $6, $7, $8, NULL), ($9, $10, $3, $11, $5, 'operator', 'replacement', $6, $7, $8, NULL)`,
        [
          e.finalReadingId,
          e.oldMeterId,
          e.period,
          e.finalLitres,
          e.readOn,
          e.operatorId,
          e.clientId,
          e.enteredAt,
          e.installReadingId,
          e.newMeterId,
          e.installLitres,
        ],
      );
      if (e.supersedes !== null)
        await sql.query('UPDATE readings SET superseded_by = $2 WHERE id = $1', [e.supersedes, e.finalReadingId]);
    }
  },
};
