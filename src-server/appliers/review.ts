// readings.review on the service: a supervisor's decision on a reading held for one. Only an operator
// the service knows as a supervisor (or administrator) may decide, and only on a reading that is still
// held and current (another supervisor's decision first makes this one a refusal that says so).
// Release: the reading is accepted as it is. Correct: a new accepted row supersedes it (the held one
// stays, as history). Refuse: it is refused and never billed. Each says who, when and why.
import { checkReading, isSupervisorRole } from '../../src-shared/readings/checks';
import { resolutionLitres, rolloverLitres, type MeterFormat } from '../../src-shared/readings/format';
import { periodOf } from '../../src-shared/domain/period';
import { loadAccounts, Rejection, requireInOffice, type AccountFacts, type Applier } from './types';

interface HeldRow {
  id: number;
  meterId: number;
  accountId: number;
  period: string;
  status: string;
  supersededBy: number | null;
  kind: string;
  format: MeterFormat;
  previous: { litres: number; readOn: string } | null;
}

interface Context {
  accounts: Map<number, AccountFacts>;
  readings: Map<number, HeldRow>;
  ids: number[];
}

export interface ReviewEffect {
  readingId: number;
  status: 'accepted' | 'refused' | 'held';
  reviewedBy: number;
  reviewedAt: string;
  note: string;
  /** a correction's new row */
  correction: {
    id: number;
    meterId: number;
    period: string;
    valueLitres: number;
    readOn: string;
    kind: string;
    clientId: string;
  } | null;
}

export const reviewApplier: Applier<'readings.review', Context, ReviewEffect> = {
  async load(sql, _office, args) {
    const accounts = await loadAccounts(
      sql,
      args.map((a) => a.accountId),
    );
    const meterIds = [...new Set(args.map((a) => a.meterId))].sort((a, b) => a - b);
    await sql.query('SELECT id FROM meters WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE', [meterIds]);
    const rows = await sql.query<{
      id: number;
      meter_id: number;
      account_id: number;
      period: string;
      status: string;
      superseded_by: number | null;
      kind: string;
      int_digits: number;
      frac_digits: number;
      prev_litres: number | null;
      prev_read_on: string | null;
    }>(
      `SELECT r.id, r.meter_id, m.account_id, r.period, r.status, r.superseded_by, r.kind, m.int_digits, m.frac_digits, prev.value_litres AS prev_litres, prev.read_on AS prev_read_on
         FROM readings r JOIN meters m ON m.id = r.meter_id
         LEFT JOIN LATERAL (SELECT value_litres, read_on FROM readings p WHERE p.meter_id = r.meter_id AND p.period < r.period AND p.superseded_by IS NULL AND p.status = 'accepted'
                            ORDER BY p.read_on DESC, p.id DESC LIMIT 1) prev ON TRUE
        WHERE r.id = ANY($1::bigint[])`,
      [[...new Set(args.map((a) => a.readingId))]],
    );
    const readings = new Map(
      rows.map((r) => [
        Number(r.id),
        {
          id: Number(r.id),
          meterId: Number(r.meter_id),
          accountId: Number(r.account_id),
          period: r.period,
          status: r.status,
          supersededBy: r.superseded_by === null ? null : Number(r.superseded_by),
          kind: r.kind,
          format: { intDigits: Number(r.int_digits), fracDigits: Number(r.frac_digits) },
          previous: r.prev_litres === null ? null : { litres: Number(r.prev_litres), readOn: r.prev_read_on! },
        },
      ]),
    );
    const corrections = args.filter((a) => a.decision === 'correct').length;
    const ids = corrections
      ? (
          await sql.query<{ id: number }>("SELECT nextval('readings_id') AS id FROM generate_series(1, $1)", [
            corrections,
          ])
        ).map((r) => Number(r.id))
      : [];
    return { accounts, readings, ids };
  },

  check(context, office, args, meta, now) {
    requireInOffice(context.accounts, office, args.accountId);
    if (!isSupervisorRole(meta.role))
      throw new Rejection('reading.reviewForbidden', 'Only a supervisor decides on a held reading');
    const row = context.readings.get(args.readingId);
    if (!row || row.meterId !== args.meterId || row.accountId !== args.accountId)
      throw new Rejection('reading.notFound', 'No such reading on this meter');
    if (row.status !== 'held' || row.supersededBy !== null)
      throw new Rejection('reading.notHeld', 'The reading is no longer held', { status: row.status });
    let correction: ReviewEffect['correction'] = null;
    if (args.decision === 'correct') {
      if (args.valueLitres === null || args.readOn === null)
        throw new Rejection('sync.malformed', 'A correction needs its value and date');
      if (periodOf(args.readOn) !== row.period)
        throw new Rejection('reading.periodMismatch', 'The date is not in the reading’s period');
      if (args.valueLitres >= rolloverLitres(row.format) || args.valueLitres % resolutionLitres(row.format) !== 0) {
        throw new Rejection('reading.outOfRange', "The value does not fit the meter's digits", {
          intDigits: row.format.intDigits,
          fracDigits: row.format.fracDigits,
        });
      }
      const kind = row.kind === 'rollover' ? 'rollover' : 'normal';
      const result = checkReading({
        format: row.format,
        previous: row.previous,
        litres: args.valueLitres,
        readOn: args.readOn,
        kind,
        expectedLitres: null,
        thresholds: { highPercent: 100, lowPercent: 100, veryHighFactor: 100 },
        verificationOverdue: false,
      });
      const refusal = result.findings.find((f) => f.severity === 'error');
      if (refusal)
        throw new Rejection(`reading.${refusal.code}`, `Check failed: ${refusal.code}`, refusal.params ?? null);
      correction = {
        id: context.ids.shift()!,
        meterId: row.meterId,
        period: row.period,
        valueLitres: args.valueLitres,
        readOn: args.readOn,
        kind,
        clientId: meta.clientId,
      };
    }
    // The next decision on the same reading in this batch sees this one.
    context.readings.set(row.id, {
      ...row,
      status: args.decision === 'refuse' ? 'refused' : 'accepted',
      supersededBy: correction?.id ?? null,
    });
    return {
      readingId: row.id,
      status: args.decision === 'release' ? 'accepted' : args.decision === 'refuse' ? 'refused' : 'held',
      reviewedBy: meta.operatorId,
      reviewedAt: now.toISOString(),
      note: args.note,
      correction,
    };
  },

  async write(sql, effects) {
    const corrections = effects.flatMap((e) =>
      e.correction ? [{ ...e.correction, operatorId: e.reviewedBy, at: e.reviewedAt, note: e.note }] : [],
    );
    if (corrections.length) {
      await sql.query(
        `INSERT INTO readings (id, meter_id, period, value_litres, read_on, source, kind, operator_id, client_id, entered_at, reasons, status, reviewed_by, reviewed_at, review_note)
         SELECT u.id, u.meter_id, u.period, u.value_litres, u.read_on, 'operator', u.kind, u.operator_id, u.client_id, u.at, NULL, 'accepted', u.operator_id, u.at, u.note
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])
             AS u(id, meter_id, period, value_litres, read_on, kind, operator_id, client_id, at, note)`,
        [
          corrections.map((c) => c.id),
          corrections.map((c) => c.meterId),
          corrections.map((c) => c.period),
          corrections.map((c) => c.valueLitres),
          corrections.map((c) => c.readOn),
          corrections.map((c) => c.kind),
          corrections.map((c) => c.operatorId),
          corrections.map((c) => c.clientId),
          corrections.map((c) => c.at),
          corrections.map((c) => c.note),
        ],
      );
    }
    await sql.query(
      `UPDATE readings r SET status = u.status, reviewed_by = u.by, reviewed_at = u.at, review_note = u.note, superseded_by = COALESCE(u.superseded_by, r.superseded_by)
         FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[]) AS u(id, status, by, at, note, superseded_by) WHERE r.id = u.id`,
      [
        effects.map((e) => e.readingId),
        effects.map((e) => e.status),
        effects.map((e) => e.reviewedBy),
        effects.map((e) => e.reviewedAt),
        effects.map((e) => e.note),
        effects.map((e) => e.correction?.id ?? null),
      ],
    );
  },
};
