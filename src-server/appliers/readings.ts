// readings.submit on the service: the shared reading rules (src-shared/readings/checks) applied to
// what the service holds, never to what the desk says it saw: the meter's digits, the previous reading,
// the open period; and a reading of this period entered meanwhile at another desk (or on the web site)
// makes this one a visible conflict instead of a silent overwrite. Meters are row-locked first, so two
// pushes for one meter are checked one after the other; the version lock is taken only for the writes.
import { almatyDate, periodOf } from '../../src-shared/domain/period';
import { checkReading, isSupervisorFinding, isSupervisorRole } from '../../src-shared/readings/checks';
import { resolutionLitres, rolloverLitres, type MeterFormat } from '../../src-shared/readings/format';
import type { Sql } from '../db';
import { loadAccounts, Rejection, requireInOffice, type AccountFacts, type Applier } from './types';

interface Current {
  id: number;
  litres: number;
  version: number | null;
  clientId: string | null;
  operatorId: number | null;
  enteredAt: string | null;
  source: string;
}

interface Slot {
  previous: { litres: number; readOn: string } | null;
  current: Current | null;
  later: boolean;
}

interface Context {
  accounts: Map<number, AccountFacts>;
  meters: Map<number, { accountId: number; format: MeterFormat; removedOn: string | null }>;
  slots: Map<string, Slot>;
  /** row ids for the batch's readings, taken up front (a correction in the same batch points to them) */
  ids: number[];
}

/** One new row per reading: a correction is a new row, and the row it corrects points to it. */
export interface ReadingEffect {
  id: number;
  /** the row this one corrects (it stays, as history) */
  supersedes: number | null;
  meterId: number;
  period: string;
  valueLitres: number;
  readOn: string;
  kind: string;
  operatorId: number;
  clientId: string;
  enteredAt: string;
  reasons: string | null;
  /** 'held': for a supervisor (not billed until one decides); else 'accepted' */
  status: 'accepted' | 'held';
  /** 'operator', or 'controller' for a meter-reading round's file */
  source: string;
}

const slotOf = (meterId: number, period: string) => `${meterId}/${period}`;

export const readingsApplier: Applier<'readings.submit', Context, ReadingEffect> = {
  async load(sql, _office, args) {
    const accounts = await loadAccounts(
      sql,
      args.map((a) => a.accountId),
    );
    const meterIds = [...new Set(args.map((a) => a.meterId))].sort((a, b) => a - b);
    // Row locks in id order (no deadlock between two pushes): readings of these meters are ours to check.
    const meterRows = await sql.query<{
      id: number;
      account_id: number;
      int_digits: number;
      frac_digits: number;
      removed_on: string | null;
    }>(
      'SELECT id, account_id, int_digits, frac_digits, removed_on FROM meters WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE',
      [meterIds],
    );
    const meters = new Map(
      meterRows.map((m) => [
        Number(m.id),
        {
          accountId: Number(m.account_id),
          format: { intDigits: Number(m.int_digits), fracDigits: Number(m.frac_digits) },
          removedOn: m.removed_on,
        },
      ]),
    );
    const pairs = [...new Map(args.map((a) => [slotOf(a.meterId, a.period), a])).values()];
    const found = await sql.query<{
      meter_id: number;
      period: string;
      prev_litres: number | null;
      prev_read_on: string | null;
      cur_id: number | null;
      cur_litres: number | null;
      cur_version: number | null;
      cur_client: string | null;
      cur_operator: number | null;
      cur_entered: string | null;
      cur_source: string | null;
      later: boolean;
    }>(
      `SELECT q.meter_id, q.period, prev.value_litres AS prev_litres, prev.read_on AS prev_read_on,
              cur.id AS cur_id, cur.value_litres AS cur_litres, cur.version AS cur_version, cur.client_id AS cur_client, cur.operator_id AS cur_operator,
              cur.entered_at AS cur_entered, cur.source AS cur_source,
              EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = q.meter_id AND r.period > q.period AND r.superseded_by IS NULL) AS later
         FROM unnest($1::bigint[], $2::text[]) AS q(meter_id, period)
         LEFT JOIN LATERAL (SELECT value_litres, read_on FROM readings r WHERE r.meter_id = q.meter_id AND r.period < q.period AND r.superseded_by IS NULL AND r.status = 'accepted'
                            ORDER BY r.read_on DESC, r.id DESC LIMIT 1) prev ON TRUE
         LEFT JOIN LATERAL (SELECT id, value_litres, version, client_id, operator_id, entered_at, source FROM readings r WHERE r.meter_id = q.meter_id AND r.period = q.period AND r.superseded_by IS NULL
                            ORDER BY r.id DESC LIMIT 1) cur ON TRUE`,
      [pairs.map((a) => a.meterId), pairs.map((a) => a.period)],
    );
    const slots = new Map<string, Slot>();
    for (const r of found) {
      slots.set(slotOf(Number(r.meter_id), r.period), {
        previous: r.prev_litres === null ? null : { litres: Number(r.prev_litres), readOn: r.prev_read_on! },
        current:
          r.cur_id === null
            ? null
            : {
                id: Number(r.cur_id),
                litres: Number(r.cur_litres),
                version: Number(r.cur_version),
                clientId: r.cur_client,
                operatorId: r.cur_operator === null ? null : Number(r.cur_operator),
                enteredAt: r.cur_entered,
                source: r.cur_source ?? 'operator',
              },
        later: r.later,
      });
    }
    const ids = (
      await sql.query<{ id: number }>("SELECT nextval('readings_id') AS id FROM generate_series(1, $1)", [args.length])
    ).map((r) => Number(r.id));
    return { accounts, meters, slots, ids };
  },

  check(context, office, args, meta, now) {
    requireInOffice(context.accounts, office, args.accountId);
    const meter = context.meters.get(args.meterId);
    if (!meter || meter.accountId !== args.accountId)
      throw new Rejection('reading.meterNotOnAccount', 'The meter is not on this account');
    if (meter.removedOn !== null && meter.removedOn < args.readOn)
      throw new Rejection('reading.meterRemoved', 'The meter was removed before this date');
    if (periodOf(args.readOn) !== args.period)
      throw new Rejection('reading.periodMismatch', 'The date is not in the period');
    const today = almatyDate(now);
    if (args.readOn > today) throw new Rejection('reading.dateInFuture', 'The reading date is in the future');
    if (args.period < periodOf(today))
      throw new Rejection('reading.periodClosed', `The period ${args.period} is closed`);
    if (args.valueLitres >= rolloverLitres(meter.format) || args.valueLitres % resolutionLitres(meter.format) !== 0) {
      throw new Rejection('reading.outOfRange', "The value does not fit the meter's digits", {
        intDigits: meter.format.intDigits,
        fracDigits: meter.format.fracDigits,
      });
    }
    const slotKey = slotOf(args.meterId, args.period);
    const slot = context.slots.get(slotKey) ?? { previous: null, current: null, later: false };
    if (slot.later) throw new Rejection('reading.periodClosed', 'A later period has readings already');
    const result = checkReading({
      format: meter.format,
      previous: slot.previous,
      litres: args.valueLitres,
      readOn: args.readOn,
      kind: args.kind,
      expectedLitres: null, // plausibility is the desk's question to the operator (with the office's thresholds)
      thresholds: { highPercent: 100, lowPercent: 100, veryHighFactor: 100 },
      verificationOverdue: false,
    });
    const refusal = result.findings.find((f) => f.severity === 'error');
    if (refusal)
      throw new Rejection(`reading.${refusal.code}`, `Check failed: ${refusal.code}`, refusal.params ?? null);
    // Held for a supervisor: what the desk found, a lower value marked as a replacement, or a
    // supervisor's reason given by another role — the role as the service knows it, not the desk.
    const held =
      !isSupervisorRole(meta.role) &&
      (args.held ||
        result.findings.some((f) => isSupervisorFinding(f.code)) ||
        Object.keys(args.reasons).some((finding) => isSupervisorFinding(finding)));
    const current = slot.current;
    // Entered meanwhile elsewhere: a row of this period this desk did not write, newer than what it saw.
    if (current && current.clientId !== meta.clientId && current.version !== args.basedOn) {
      throw new Rejection('reading.conflict', 'A reading for this period was entered at another desk', {
        valueLitres: current.litres,
        intDigits: meter.format.intDigits,
        fracDigits: meter.format.fracDigits,
        operatorId: current.operatorId,
        enteredAt: current.enteredAt,
        source: current.source,
      });
    }
    const effect: ReadingEffect = {
      id: context.ids.shift()!,
      supersedes: current?.id ?? null,
      meterId: args.meterId,
      period: args.period,
      valueLitres: args.valueLitres,
      readOn: args.readOn,
      kind: args.kind,
      operatorId: meta.operatorId,
      clientId: meta.clientId,
      enteredAt: meta.createdAt,
      reasons: Object.keys(args.reasons).length ? JSON.stringify(args.reasons) : null,
      status: held ? 'held' : 'accepted',
      source: args.source,
    };
    context.slots.set(slotKey, {
      ...slot,
      current: {
        id: effect.id,
        litres: args.valueLitres,
        version: null,
        clientId: meta.clientId,
        operatorId: meta.operatorId,
        enteredAt: meta.createdAt,
        source: args.source,
      },
    });
    return effect;
  },

  async write(sql, effects) {
    await sql.query(
      `INSERT INTO readings (id, meter_id, period, value_litres, read_on, source, kind, operator_id, client_id, entered_at, reasons, status)
       SELECT u.id, u.meter_id, u.period, u.value_litres, u.read_on, u.source, u.kind, u.operator_id, u.client_id, u.entered_at, u.reasons, u.status
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           AS u(id, meter_id, period, value_litres, read_on, kind, operator_id, client_id, entered_at, reasons, status, source)`,
      [
        effects.map((e) => e.id),
        effects.map((e) => e.meterId),
        effects.map((e) => e.period),
        effects.map((e) => e.valueLitres),
        effects.map((e) => e.readOn),
        effects.map((e) => e.kind),
        effects.map((e) => e.operatorId),
        effects.map((e) => e.clientId),
        effects.map((e) => e.enteredAt),
        effects.map((e) => e.reasons),
        effects.map((e) => e.status),
        effects.map((e) => e.source),
      ],
    );
    // The rows corrected keep their values and point to their correction.
    const corrected = effects.filter((e) => e.supersedes !== null);
    if (corrected.length) {
      await sql.query(
        'UPDATE readings r SET superseded_by = u.by FROM unnest($1::bigint[], $2::bigint[]) AS u(id, by) WHERE r.id = u.id',
        [corrected.map((e) => e.supersedes), corrected.map((e) => e.id)],
      );
    }
  },

  async explain(sql: Sql, rejection: Rejection) {
    const id = rejection.details?.['operatorId'];
    if (typeof id !== 'number') return;
    const row = (await sql.query<{ full_name: string }>('SELECT full_name FROM operators WHERE id = $1', [id]))[0];
    if (row) rejection.details!['operatorName'] = row.full_name;
  },
};
