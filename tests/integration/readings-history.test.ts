// Readings as the service keeps them: who entered one, why and at which desk travels to every desk of
// the office; a correction is a new row and the one it corrects stays (never overwritten); a meter
// replaced is a device change: the old one closed with its final reading, a new one from its
// installation reading, both on the month's breakdown.
import { afterEach, describe, expect, it } from 'vitest';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import type { Breakdown } from '../../src-shared/schemas/statements';
import { startCentral, type Central } from '../helpers/central';
import { openDesk, type Desk } from '../helpers/desk';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function meterToRead(desk: Desk, skip = 0): { accountId: number; meterId: number } {
  return desk.db
    .prepare<[number], { accountId: number; meterId: number }>(
      `SELECT m.account_id AS accountId, m.id AS meterId FROM meters m
        WHERE m.removed_on IS NULL AND (SELECT count(*) FROM meters x WHERE x.account_id = m.account_id AND x.removed_on IS NULL) = 1
          AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id) AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-11')
        ORDER BY m.id LIMIT 1 OFFSET ?`,
    )
    .get(skip)!;
}

describe('readings history across desks', () => {
  let central: Central;
  const start = async () => {
    central = await startCentral('pglite', { accounts: 120, months: 2 });
    cleanups.push(() => central.close());
  };

  it('a reading carries its operator, reason and desk to the other desks; its correction keeps it as history', async () => {
    await start();
    const a = await openDesk(central, { login: 'call1' }, cleanups);
    const b = await openDesk(central, { login: 'call2' }, cleanups);
    await Promise.all([a.sync(), b.sync()]);
    const target = meterToRead(a);
    const list = await a.call<ReadingsList>('readings.list', { accountId: target.accountId });
    const meter = list.meters[0]!;
    const high =
      meter.previous!.litres +
      Math.max(10_000, (meter.expectedLitres ?? 3_000) * 3) -
      (((meter.expectedLitres ?? 3_000) * 3) % 10);
    // The reason of the finding the value has (high or very high); one for another finding is refused.
    const submitHigh = (reasons: Record<string, string>) =>
      a.call('readings.submit', {
        accountId: target.accountId,
        entries: [{ meterId: target.meterId, value: formatReading(high, meter.format), reasons }],
      });
    await expect(submitHigh({ high: 'guests', veryHigh: 'leakConfirmed', low: 'absence' })).rejects.toThrow();
    await submitHigh({ high: 'guests' }).catch(() => submitHigh({ veryHigh: 'leakConfirmed' }));
    await a.sync();
    const corrected = meter.previous!.litres + 1_000;
    const submitCorrected = (reasons: Record<string, string>) =>
      a.call('readings.submit', {
        accountId: target.accountId,
        entries: [{ meterId: target.meterId, value: formatReading(corrected, meter.format), reasons }],
      });
    await submitCorrected({ low: 'customerConfirmed' }).catch(() => submitCorrected({}));
    await a.sync();
    await b.sync();

    // On the service: two rows, the first pointing to its correction, both with who and where.
    const rows = await central.db.query<{
      id: number;
      value_litres: number;
      superseded_by: number | null;
      operator_id: number;
      reasons: string | null;
      client_id: string;
    }>(
      "SELECT id, value_litres, superseded_by, operator_id, reasons, client_id FROM readings WHERE meter_id = $1 AND period = '2026-11' ORDER BY id",
      [target.meterId],
    );
    expect(rows.map((r) => r.value_litres)).toEqual([high, corrected]);
    expect(rows[0]!.superseded_by).toBe(rows[1]!.id);
    expect(rows[1]!.superseded_by).toBeNull();
    expect(new Set(rows.map((r) => r.operator_id))).toEqual(new Set([a.operatorId]));
    // Only the reason of the finding the reading had (high or very high).
    const stored = Object.entries(JSON.parse(rows[0]!.reasons!) as Record<string, string>);
    expect(stored).toHaveLength(1);
    expect([
      ['high', 'guests'],
      ['veryHigh', 'leakConfirmed'],
    ]).toContainEqual(stored[0]);

    // On the other desk: the current reading is the correction, the history has both.
    const seen = await b.call<ReadingsList>('readings.list', { accountId: target.accountId });
    expect(seen.meters[0]!.current).toMatchObject({ litres: corrected, state: 'applied' });
    const history = await b.call<{
      entries: {
        litres: number;
        superseded: boolean;
        operator: string | null;
        desk: string | null;
        reasons: Record<string, string> | null;
        period: string;
      }[];
    }>('readings.history', { accountId: target.accountId, meterId: target.meterId });
    const month = history.entries.filter((e) => e.period === '2026-11');
    expect(month).toEqual([
      expect.objectContaining({
        litres: corrected,
        superseded: false,
        operator: 'Петрова Анна Сергеевна',
        desk: 'other',
      }),
      expect.objectContaining({ litres: high, superseded: true, operator: 'Петрова Анна Сергеевна', desk: 'other' }),
    ]);
    expect(Object.values(month[1]!.reasons ?? {})).toHaveLength(1);
    const mine = await a.call<{ entries: { desk: string | null; period: string }[] }>('readings.history', {
      accountId: target.accountId,
      meterId: target.meterId,
    });
    expect(mine.entries.filter((e) => e.period === '2026-11').every((e) => e.desk === 'this')).toBe(true);
  });

  it('a meter replaced: the old one closed with its final reading, the new one from its installation reading, both on the breakdown', async () => {
    await start();
    const a = await openDesk(central, { login: 'kassa1' }, cleanups);
    await a.sync();
    const target = meterToRead(a, 3);
    const list = await a.call<ReadingsList>('readings.list', { accountId: target.accountId });
    const old = list.meters[0]!;
    const final = old.previous!.litres + 2_340;
    const pending = await a.call<{ seq: number }>('meters.replace', {
      accountId: target.accountId,
      meterId: target.meterId,
      finalValue: formatReading(final, old.format),
      installValue: '00012,50',
      newSerial: 'NEW-77001',
      intDigits: 5,
      fracDigits: 2,
    });
    expect(pending.seq).toBeGreaterThan(0);
    expect(
      (await a.call<ReadingsList>('readings.list', { accountId: target.accountId })).meters[0]!.replacing,
    ).toMatchObject({ newSerial: 'NEW-77001', state: 'pending' });
    // A second replacement of it while the first waits is refused.
    await expect(
      a.call('meters.replace', {
        accountId: target.accountId,
        meterId: target.meterId,
        finalValue: formatReading(final, old.format),
        installValue: '0',
        newSerial: 'NEW-77002',
        intDigits: 5,
        fracDigits: 2,
      }),
    ).rejects.toThrow(/meter\.replacementPending/);
    expect(await a.sync()).toMatchObject({ state: 'online', pending: 0, rejected: 0 });

    const meters = await central.db.query<{
      id: number;
      serial: string;
      removed_on: string | null;
      install_litres: number;
    }>('SELECT id, serial, removed_on, install_litres FROM meters WHERE account_id = $1 ORDER BY id', [
      target.accountId,
    ]);
    expect(meters).toEqual([
      { id: target.meterId, serial: expect.any(String), removed_on: '2026-11-20', install_litres: 0 },
      { id: expect.any(Number), serial: 'NEW-77001', removed_on: null, install_litres: 12_500 },
    ]);
    const after = await a.call<ReadingsList>('readings.list', { accountId: target.accountId });
    expect(after.meters.map((m) => m.serial)).toEqual(['NEW-77001']);
    expect(after.meters[0]!.previous ?? after.meters[0]!.current).toMatchObject({
      litres: 12_500,
      kind: 'replacement',
    });

    // The month's breakdown: both meters, the old one's consumption to its final reading, the new one from its installation.
    const breakdown = await a.call<Breakdown>('statements.breakdown', {
      accountId: target.accountId,
      period: '2026-11',
    });
    const lines = breakdown.readings.map((r) => [r.serial, r.consumptionLitres]);
    expect(lines).toEqual([
      [old.serial, final - old.previous!.litres],
      ['NEW-77001', 0],
    ]);
  });
});
