import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { mutationArgs } from '../../src-shared/schemas/outbox';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeEach(async () => {
  demo = await openDemoCore();
});
afterEach(() => demo.cleanup());

async function list(accountId: number): Promise<ReadingsList> {
  const outcome = await demo.core.services.dispatch('readings.list', { accountId });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as ReadingsList;
}

/** An account with exactly `meters` active meters, each with a previous reading. */
function accountWithMeters(meters: number): number {
  return demo.core.db
    .prepare<[number], number>(
      `SELECT m.account_id FROM meters m WHERE m.removed_on IS NULL
        AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id)
        GROUP BY m.account_id HAVING count(*) = ? ORDER BY m.account_id LIMIT 1`,
    )
    .pluck()
    .get(meters)!;
}

const pendingCount = () =>
  demo.core.db.prepare("SELECT count(*) FROM outbox WHERE name = 'readings.submit'").pluck().get();

describe('readings', () => {
  it('lists each meter with its verification status, previous reading and expected consumption', async () => {
    const accountId = accountWithMeters(2);
    const state = await list(accountId);
    expect(state.period).toBe('2026-11');
    expect(state.meters).toHaveLength(2);
    for (const meter of state.meters) {
      expect(meter.previous).not.toBeNull();
      expect(meter.previous!.state).toBe('applied');
      expect(meter.previous!.period < '2026-11').toBe(true);
      expect(['ok', 'dueSoon', 'overdue']).toContain(meter.verification);
      expect(meter.format).toEqual({ intDigits: 5, fracDigits: 2 });
    }
  });

  it('saves a reading at once as pending, and it survives closing and reopening the database', async () => {
    const accountId = accountWithMeters(1);
    const meter = (await list(accountId)).meters[0]!;
    const value = formatReading(meter.previous!.litres + (meter.expectedLitres ?? 3000), meter.format);
    const outcome = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value }],
    });
    expect(outcome).toMatchObject({ ok: true, result: { state: 'pending', saved: [{ meterId: meter.meterId }] } });
    demo.reopen();
    const after = (await list(accountId)).meters[0]!;
    expect(after.current).toMatchObject({ state: 'pending', source: 'operator' });
    expect(formatReading(after.current!.litres, after.format)).toBe(value);
  });

  it('refuses a badly formatted reading with a message for the field and saves nothing', async () => {
    const accountId = accountWithMeters(1);
    const meter = (await list(accountId)).meters[0]!;
    for (const [value, code] of [
      ['12a,45', 'reading.notANumber'],
      ['123,456', 'reading.tooManyFracDigits'],
      ['123456', 'reading.tooManyIntDigits'],
      ['-5', 'reading.negative'],
    ]) {
      const outcome = await demo.core.services.dispatch('readings.submit', {
        accountId,
        entries: [{ meterId: meter.meterId, value }],
      });
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.details).toMatchObject({ fields: [{ path: 'entries.0.value', code }] });
    }
    expect(pendingCount()).toBe(0);
  });

  it('refuses a reading lower than the previous one unless it is marked as a rollover', async () => {
    const accountId = accountWithMeters(1);
    const meter = (await list(accountId)).meters[0]!;
    const lower = formatReading(Math.max(0, meter.previous!.litres - 1000), meter.format);
    const refused = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value: lower }],
    });
    expect(refused.ok ? null : refused.error.details).toMatchObject({
      fields: [{ code: 'reading.lowerThanPrevious' }],
    });
    expect(pendingCount()).toBe(0);
  });

  it('asks for confirmation when only some meters are given, and saves nothing without it', async () => {
    const accountId = accountWithMeters(2);
    const meter = (await list(accountId)).meters[0]!;
    const value = formatReading(meter.previous!.litres + (meter.expectedLitres ?? 3000), meter.format);
    const refused = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value }],
    });
    expect(refused.ok ? null : refused.error.details).toMatchObject({
      fields: [{ code: 'reading.partialNotConfirmed' }],
      given: 1,
      total: 2,
    });
    expect(pendingCount()).toBe(0);
    const saved = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value }],
      partialConfirmed: true,
    });
    expect(saved.ok).toBe(true);
    expect(pendingCount()).toBe(1);
  });

  it('needs a reason for implausible consumption and records the one chosen', async () => {
    const accountId = accountWithMeters(1);
    const meter = (await list(accountId)).meters[0]!;
    const expected = meter.expectedLitres!;
    const value = formatReading(meter.previous!.litres + expected * 3, meter.format);
    const refused = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value }],
    });
    expect(refused.ok ? null : refused.error.details).toMatchObject({ fields: [{ code: 'reading.high' }] });
    const saved = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value, reasons: { high: 'guests' } }],
    });
    expect(saved.ok).toBe(true);
    const args = JSON.parse(
      demo.core.db.prepare("SELECT args FROM outbox WHERE name = 'readings.submit'").pluck().get() as string,
    );
    expect(args.reasons).toEqual({ high: 'guests' });
  });

  it("refuses a reason for a finding the reading does not have, and one from another finding's list", async () => {
    const accountId = accountWithMeters(1);
    const meter = (await list(accountId)).meters[0]!;
    // An ordinary consumption: nothing to explain, so «high: guests» is a reason nobody asked for.
    const value = formatReading(meter.previous!.litres + meter.expectedLitres!, meter.format);
    const before = pendingCount();
    const unasked = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value, reasons: { high: 'guests' } }],
    });
    expect(unasked.ok ? null : unasked.error).toMatchObject({
      code: 'VALIDATION',
      details: { fields: [{ path: 'entries.0.reasons', code: 'reading.reasonNotAsked' }] },
    });
    expect(pendingCount()).toBe(before);
    // A high consumption explained with a reason of a low one («отсутствие») stays unexplained.
    const high = formatReading(meter.previous!.litres + meter.expectedLitres! * 3, meter.format);
    const foreign = await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value: high, reasons: { high: 'absence' } }],
    });
    expect(foreign.ok ? null : foreign.error.details).toMatchObject({ fields: [{ code: 'reading.high' }] });
    expect(pendingCount()).toBe(before);
    // The service's own check of a pushed change: a reason only from its finding's list.
    const args = {
      accountId,
      meterId: meter.meterId,
      period: '2026-11',
      valueLitres: 1,
      readOn: '2026-11-20',
      kind: 'normal',
    };
    expect(mutationArgs['readings.submit'].safeParse({ ...args, reasons: { high: 'absence' } }).success).toBe(false);
    expect(mutationArgs['readings.submit'].safeParse({ ...args, reasons: { high: 'guests' } }).success).toBe(true);
  });

  it("replaces this month's reading on correction and keeps the earlier value in history", async () => {
    const accountId = accountWithMeters(1);
    const meter = (await list(accountId)).meters[0]!;
    const step = meter.expectedLitres ?? 3000;
    const first = formatReading(meter.previous!.litres + step, meter.format);
    const second = formatReading(meter.previous!.litres + step + 100, meter.format);
    await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value: first }],
    });
    await demo.core.services.dispatch('readings.submit', {
      accountId,
      entries: [{ meterId: meter.meterId, value: second }],
    });
    const after = (await list(accountId)).meters[0]!;
    expect(formatReading(after.current!.litres, after.format)).toBe(second);
    expect(after.corrections.map((c) => formatReading(c.litres, after.format))).toEqual([first]);
    expect(after.previous!.period < '2026-11').toBe(true);
  });

  it('writes who submitted the reading to the audit trail in the same transaction', async () => {
    const accountId = accountWithMeters(1);
    const meter = (await list(accountId)).meters[0]!;
    const value = formatReading(meter.previous!.litres + (meter.expectedLitres ?? 3000), meter.format);
    await demo.core.services.dispatch(
      'readings.submit',
      { accountId, entries: [{ meterId: meter.meterId, value }] },
      { operatorId: 7 },
    );
    const row = demo.core.db
      .prepare("SELECT operator_id, account_id, result FROM audit_log WHERE operation = 'readings.submit'")
      .get();
    expect(row).toEqual({ operator_id: 7, account_id: accountId, result: 'ok' });
  });
});
