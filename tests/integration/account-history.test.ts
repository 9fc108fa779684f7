// accounts.history, the card's «История»: its chart data equals the readings table (each meter's
// month is its current accepted reading, its consumption what the breakdown bills), the expected
// consumption of this month is the one the readings check uses, money by month adds up to the balances,
// and the payments are the payments table's, with their receipt numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src-shared/domain/period';
import { reasonsFor } from '../helpers/reasons';
import { formatReading } from '../../src-shared/readings/format';
import type { AccountHistory } from '../../src-shared/schemas/history';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import type { Breakdown } from '../../src-shared/schemas/statements';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(300, 24);
});
afterAll(() => demo.cleanup());

const CURRENT = '2026-11';
const db = () => demo.core.db;
const ok = async <T>(op: string, input: unknown): Promise<T> => {
  const outcome = await demo.core.services.dispatch(op as never, input as never, { operatorId: 4, role: 'callcenter' });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as T;
};

/** The readings table's billed reading of a meter's month (current, accepted, the month's last), straight from SQL. */
const readingOf = (meterId: number, period: string) =>
  db()
    .prepare<[number, string], { value_litres: number; read_on: string; source: string; kind: string }>(
      "SELECT value_litres, read_on, source, kind FROM readings WHERE meter_id = ? AND period = ? AND superseded_by IS NULL AND status = 'accepted' ORDER BY read_on DESC, id DESC LIMIT 1",
    )
    .get(meterId, period);

/** Accounts of every shape: one meter, several, a replaced meter, none (by norm); open ones. */
function sample(): number[] {
  const pick = (sql: string, n: number) => db().prepare<[number], number>(sql).pluck().all(n);
  const meters = (n: string) =>
    `SELECT a.id FROM accounts a WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id) ${n} ORDER BY a.id LIMIT ?`;
  return [
    ...pick(meters('= 1'), 12),
    ...pick(meters('>= 2'), 12),
    ...pick(meters('= 0'), 3),
    ...pick('SELECT DISTINCT account_id FROM meters WHERE removed_on IS NOT NULL ORDER BY account_id LIMIT ?', 4),
    ...pick(
      "SELECT DISTINCT m.account_id FROM readings r JOIN meters m ON m.id = r.meter_id WHERE r.kind = 'rollover' ORDER BY 1 LIMIT ?",
      3,
    ),
  ];
}

describe('accounts.history', () => {
  it("draws exactly the readings table: each meter's month, its source and its consumption as the breakdown bills it", async () => {
    const accounts = sample();
    expect(accounts.length).toBeGreaterThan(25);
    let points = 0;
    for (const accountId of accounts) {
      const history = await ok<AccountHistory>('accounts.history', { accountId });
      expect(history.periods).toHaveLength(24);
      expect(history.periods.at(-1)).toBe(CURRENT);
      expect(history.periods[0]).toBe(addMonths(CURRENT, -23));
      const metersInTable = db()
        .prepare<[number, string, string], number>(
          'SELECT id FROM meters WHERE account_id = ? AND installed_on <= ? AND (removed_on IS NULL OR removed_on >= ?) ORDER BY id',
        )
        .pluck()
        .all(accountId, `${CURRENT}-30`, `${history.periods[0]}-01`);
      expect(history.meters.map((m) => m.meterId)).toEqual(metersInTable);
      for (const [i, period] of history.periods.entries()) {
        // The volume the breakdown of that month bills from each meter (the current month has none yet).
        const breakdown = period < CURRENT ? await ok<Breakdown>('statements.breakdown', { accountId, period }) : null;
        for (const meter of history.meters) {
          const point = meter.points[i]!;
          expect(point.period).toBe(period);
          const row = readingOf(meter.meterId, period);
          expect({ litres: point.litres, readOn: point.readOn, source: point.source, kind: point.kind }).toEqual(
            row
              ? { litres: row.value_litres, readOn: row.read_on, source: row.source, kind: row.kind }
              : { litres: null, readOn: null, source: null, kind: null },
          );
          const line = breakdown?.readings.find((r) => r.meterId === meter.meterId);
          if (line)
            expect(point.consumptionLitres, `${accountId} ${meter.serial} ${period}`).toBe(line.consumptionLitres);
          if (row) points++;
        }
        const month = history.months[i]!;
        const sum = history.meters.map((m) => m.points[i]!.consumptionLitres).filter((c): c is number => c !== null);
        expect(month.consumptionLitres).toBe(sum.length ? sum.reduce((a, b) => a + b, 0) : null);
      }
    }
    expect(points).toBeGreaterThan(500);
  });

  it('expects this month what the readings check expects, and draws the norm as norm × residents', async () => {
    for (const accountId of sample().slice(0, 24)) {
      const history = await ok<AccountHistory>('accounts.history', { accountId });
      const list = await ok<ReadingsList>('readings.list', { accountId });
      for (const meter of list.meters) {
        const drawn = history.meters.find((m) => m.meterId === meter.meterId)!;
        expect(drawn.points.at(-1)!.expectedLitres, `${accountId} ${meter.serial}`).toBe(meter.expectedLitres);
      }
      const norm = db()
        .prepare<[string], number>(
          "SELECT litres_per_resident_month FROM norms WHERE service = 'water' AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
        )
        .pluck()
        .get('2026-11-20')!;
      expect(history.months.at(-1)!.normLitres).toBe(norm * list.residents);
    }
  });

  it('sums charges, recalculations and payments by month to the balances, and lists the payments with their receipt numbers', async () => {
    for (const accountId of sample()) {
      const history = await ok<AccountHistory>('accounts.history', { accountId });
      for (const month of history.months) {
        const sum = (sql: string) =>
          db().prepare<[number, string], number>(sql).pluck().get(accountId, month.period) ?? 0;
        expect(month.chargedTiyn).toBe(
          sum('SELECT coalesce(sum(amount_tiyn), 0) FROM charges WHERE account_id = ? AND period = ?'),
        );
        expect(month.paidTiyn).toBe(
          sum('SELECT coalesce(sum(amount_tiyn), 0) FROM payments WHERE account_id = ? AND period = ?'),
        );
        expect(month.recalculatedTiyn).toBe(
          sum('SELECT coalesce(sum(amount_tiyn), 0) FROM recalculations WHERE account_id = ? AND period = ?'),
        );
        const water = db()
          .prepare<[number, string], number | null>(
            "SELECT sum(volume_litres) FROM charges WHERE account_id = ? AND period = ? AND service = 'water'",
          )
          .pluck()
          .get(accountId, month.period);
        expect(month.billedLitres).toBe(water ?? null);
        if (month.openingTiyn !== null && month.closingTiyn !== null) {
          expect(month.closingTiyn).toBe(
            month.openingTiyn + month.chargedTiyn + month.recalculatedTiyn - month.paidTiyn,
          );
        }
      }
      // A month's closing balance is the next one's opening.
      for (let i = 1; i < history.months.length; i++) {
        if (history.months[i]!.openingTiyn !== null && history.months[i - 1]!.closingTiyn !== null)
          expect(history.months[i]!.openingTiyn).toBe(history.months[i - 1]!.closingTiyn);
      }
      const payments = db()
        .prepare<[number, string], { id: number; paid_on: string; amount_tiyn: number; channel: string }>(
          'SELECT id, paid_on, amount_tiyn, channel FROM payments WHERE account_id = ? AND period >= ? ORDER BY paid_on DESC, id DESC',
        )
        .all(accountId, history.periods[0]!);
      expect(
        history.payments.map((p) => ({
          id: p.receipt,
          paid_on: p.paidOn,
          amount_tiyn: p.amountTiyn,
          channel: p.channel,
        })),
      ).toEqual(payments);
    }
  });

  it("shows this desk's reading of the month at once, as not yet accepted, counted from the previous one", async () => {
    const accountId = db()
      .prepare<[], number>(
        `SELECT a.id FROM accounts a WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) = 1
           AND NOT EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id AND r.period = '${CURRENT}') ORDER BY a.id LIMIT 1`,
      )
      .pluck()
      .get()!;
    const list = await ok<ReadingsList>('readings.list', { accountId });
    const meter = list.meters[0]!;
    const step = 10 ** (3 - meter.format.fracDigits);
    const value = meter.previous!.litres + Math.round((meter.expectedLitres ?? 5_000) / step) * step;
    await ok('readings.submit', {
      accountId,
      entries: [
        {
          meterId: meter.meterId,
          value: formatReading(value, meter.format),
          reasons: reasonsFor(list, meter.meterId, value),
        },
      ],
    });
    const history = await ok<AccountHistory>('accounts.history', { accountId });
    const point = history.meters.find((m) => m.meterId === meter.meterId)!.points.at(-1)!;
    expect(point).toMatchObject({
      period: CURRENT,
      litres: value,
      source: 'operator',
      state: 'pending',
      consumptionLitres: value - meter.previous!.litres,
    });
  });

  it('refuses an account it does not hold, and a shorter window has its months', async () => {
    const outcome = await demo.core.services.dispatch('accounts.history', { accountId: 999_999 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const accountId = sample()[0]!;
    const six = await ok<AccountHistory>('accounts.history', { accountId, months: 6 });
    expect(six.periods).toEqual([0, 1, 2, 3, 4, 5].map((i) => addMonths(CURRENT, i - 5)));
  });
});
