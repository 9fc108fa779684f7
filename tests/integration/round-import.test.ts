// Readings from a meter-reading round: a controller's CSV (BOM, semicolons, CRLF, a header) with bad rows
// of every kind gives a report row with its reason for each, and the rest are saved exactly once, as
// readings.submit changes with source 'controller', all or nothing; a 10 000-row file is checked in
// under 5 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { databaseFileIn, openCore, type Core } from '../../src-main/core';
import { formatReading, type MeterFormat } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import type { RoundApply, RoundCheck } from '../../src-shared/schemas/round';
import { demoCityFile, FIXTURE_TODAY, openDemoCore, type DemoCore } from '../fixtures/demo';
import { makeTempDir } from '../helpers/tmp';

const SUPERVISOR = { operatorId: 6, role: 'supervisor' as const };
const call = async <T>(core: Core, op: string, input: unknown): Promise<T> => {
  const outcome = await core.services.dispatch(op as never, input as never, SUPERVISOR);
  if (!outcome.ok) throw Object.assign(new Error(`${op}: ${JSON.stringify(outcome.error)}`), { error: outcome.error });
  return outcome.result as T;
};
const refusal = async (core: Core, op: string, input: unknown) => {
  const outcome = await core.services.dispatch(op as never, input as never, SUPERVISOR);
  expect(outcome.ok).toBe(false);
  return (outcome as { error: { code: string; details?: { reason?: string; fields?: { code: string }[] } } }).error;
};

let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(300, 24);
});
afterAll(() => demo.cleanup());

/** Meters of open accounts with a single meter and a previous reading, and none this month (20.11.2026). */
function singleMeters(core: Core, n: number) {
  return core.db
    .prepare<[number], { accountId: number; number: string; meterId: number; serial: string }>(
      `SELECT a.id AS accountId, a.number, m.id AS meterId, m.serial FROM accounts a JOIN meters m ON m.account_id = a.id AND m.removed_on IS NULL
        WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters x WHERE x.account_id = a.id AND x.removed_on IS NULL) = 1
          AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id) AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-11')
        ORDER BY a.id LIMIT ?`,
    )
    .all(n);
}

/** A plausible value: the previous one and the expected consumption, at the meter's resolution. */
async function plausible(
  core: Core,
  accountId: number,
): Promise<{ value: string; litres: number; format: MeterFormat; previous: number }> {
  const meter = (await call<ReadingsList>(core, 'readings.list', { accountId })).meters[0]!;
  const step = 10 ** (3 - meter.format.fracDigits);
  const litres = meter.previous!.litres + Math.max(step, Math.round((meter.expectedLitres ?? 3_000) / step) * step);
  return { value: formatReading(litres, meter.format), litres, format: meter.format, previous: meter.previous!.litres };
}

describe('a meter-reading round from a CSV file', () => {
  it('reports every bad row with its reason and saves the rest exactly once, as the controller’s', async () => {
    const core = demo.core;
    const meters = singleMeters(core, 12);
    const good = await Promise.all(
      meters.slice(0, 6).map(async (m) => ({ ...m, ...(await plausible(core, m.accountId)) })),
    );
    const [lower, digits, future, lastMonth, duplicate, high] = await Promise.all(
      meters.slice(6, 12).map(async (m) => ({ ...m, ...(await plausible(core, m.accountId)) })),
    );
    const twoMeters = core.db
      .prepare<[], string>(
        'SELECT a.number FROM accounts a WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) = 2 LIMIT 1',
      )
      .pluck()
      .get()!;
    const otherAccount = meters[0]!.number;
    const rows = [
      'Лицевой счёт;Заводской номер;Показание;Дата',
      ...good.map((g, i) => `${g.number};${g.serial};${g.value};${i % 2 ? '15.11.2026' : '2026-11-15'}`),
      `${lower!.number};${lower!.serial};${formatReading(lower!.previous - 10 ** (3 - lower!.format.fracDigits) * 10, lower!.format)};15.11.2026`, // lower than previous
      `${digits!.number};${digits!.serial};1234567,891;15.11.2026`, // wrong digits
      `;НЕТ-0001;00010,00;15.11.2026`, // unknown serial
      `${future!.number};${future!.serial};${future!.value};25.11.2026`, // a date in the future
      `${lastMonth!.number};${lastMonth!.serial};${lastMonth!.value};28.10.2026`, // last month: closed
      `${duplicate!.number};${duplicate!.serial};${duplicate!.value};15.11.2026`,
      `${duplicate!.number};${duplicate!.serial};${duplicate!.value};16.11.2026`, // the same meter again
      `${high!.number};${high!.serial};${formatReading(high!.previous + 90_000, high!.format)};15.11.2026`, // far above the expected: needs a reason
      `${twoMeters};;00100,00;15.11.2026`, // account with two meters, no serial
      `${otherAccount};${good[1]!.serial};${good[1]!.value};15.11.2026`, // a serial not on that account
      `${good[2]!.number};${good[2]!.serial};12а45;15.11.2026`, // letters (and the same meter again)
      `${good[3]!.number};${good[3]!.serial};${good[3]!.value};31.02.2026`, // no such date
    ];
    const csv = `\uFEFF${rows.join('\r\n')}\r\n`;
    const check = await call<RoundCheck>(core, 'readings.importCheck', { fileName: 'обход.csv', csv });
    const accepted = [...good, duplicate!]; // the duplicate's first row is a good one
    expect(check).toMatchObject({
      delimiter: ';',
      header: true,
      rows: rows.length - 1,
      acceptedCount: accepted.length,
      period: '2026-11',
    });
    const reasons = Object.fromEntries(check.refused.map((r) => [r.line, r.reasons.map((x) => x.code)]));
    const first = good.length + 2; // line of the first bad row (1 = the header)
    expect(reasons).toEqual({
      [first]: ['reading.lowerThanPrevious'],
      [first + 1]: ['reading.tooManyIntDigits'],
      [first + 2]: ['round.unknownMeter'],
      [first + 3]: ['reading.dateInFuture'],
      [first + 4]: ['reading.periodClosed'],
      [first + 6]: ['round.duplicate'],
      [first + 7]: ['reading.veryHigh'],
      [first + 8]: ['round.meterAmbiguous'],
      [first + 9]: ['round.meterNotOnAccount'],
      [first + 10]: ['reading.notANumber', 'round.duplicate'],
      [first + 11]: ['round.badDate', 'round.duplicate'],
    });
    expect(check.refused.find((r) => r.line === first + 6)!.reasons[0]!.params).toEqual({ line: first + 5 });
    expect(check.accepted.map((a) => [a.serial, a.litres, a.readOn])).toEqual(
      accepted.map((g) => [g.serial, g.litres, '2026-11-15']),
    );

    // Saved in one go, as the controller's readings; a stale preview is refused and saves nothing.
    const stale = await refusal(core, 'readings.importApply', { fileName: 'обход.csv', csv, digest: '0'.repeat(64) });
    expect(stale).toMatchObject({ code: 'CONFLICT', details: { reason: 'round.changed' } });
    const outboxCount = () =>
      core.db.prepare("SELECT count(*) FROM outbox WHERE name = 'readings.submit'").pluck().get() as number;
    const before = outboxCount();
    const saved = await call<RoundApply>(core, 'readings.importApply', {
      fileName: 'обход.csv',
      csv,
      digest: check.digest,
    });
    expect(saved).toMatchObject({ saved: accepted.length, period: '2026-11', state: 'pending' });
    expect(outboxCount() - before).toBe(accepted.length);
    const stored = core.db
      .prepare<[], { args: string }>("SELECT args FROM outbox WHERE name = 'readings.submit' ORDER BY seq DESC LIMIT 6")
      .all()
      .map((r) => JSON.parse(r.args));
    expect(stored.every((a) => a.source === 'controller' && a.kind === 'normal' && a.held === false)).toBe(true);
    for (const g of accepted) {
      const list = await call<ReadingsList>(core, 'readings.list', { accountId: g.accountId });
      expect(list.meters[0]!.current).toMatchObject({ litres: g.litres, source: 'controller', state: 'pending' });
    }
    expect(
      core.db
        .prepare("SELECT details FROM audit_log WHERE operation = 'readings.import' ORDER BY id DESC")
        .pluck()
        .get(),
    ).toContain(`"saved":${accepted.length}`);

    // The same file again: every row of a meter it saved is now read this month — nothing is saved twice.
    const again = await call<RoundCheck>(core, 'readings.importCheck', { fileName: 'обход.csv', csv });
    expect(again.acceptedCount).toBe(0);
    expect(again.refused.filter((r) => r.reasons.some((x) => x.code === 'round.alreadyThisMonth'))).toHaveLength(
      accepted.length + 3,
    );
    const none = await call<RoundApply>(core, 'readings.importApply', {
      fileName: 'обход.csv',
      csv,
      digest: again.digest,
    });
    expect(none.saved).toBe(0);
    expect(outboxCount() - before).toBe(accepted.length);
  });

  it('reads a file without a header, with commas or tabs, and one without a serial column', async () => {
    const core = demo.core;
    const [a, b] = await Promise.all(
      singleMeters(core, 14)
        .slice(12, 14)
        .map(async (m) => ({ ...m, ...(await plausible(core, m.accountId)) })),
    );
    const tabbed = await call<RoundCheck>(core, 'readings.importCheck', {
      fileName: 'r.tsv',
      csv: `${a!.number}\t${a!.serial}\t${a!.value}\t15.11.2026\n${b!.number}\t${b!.serial}\t${b!.value}\t15.11.2026`,
    });
    expect(tabbed).toMatchObject({ delimiter: '\t', header: false, acceptedCount: 2 });
    const commas = await call<RoundCheck>(core, 'readings.importCheck', {
      fileName: 'r.csv',
      csv: `account,value,date\n${a!.number},"${a!.value}",15.11.2026\n`,
    });
    expect(commas).toMatchObject({ delimiter: ',', header: true, acceptedCount: 1 });
    const noColumns = await refusal(core, 'readings.importCheck', {
      fileName: 'r.csv',
      csv: 'фамилия;адрес\nИванов;Абая 10',
    });
    expect(noColumns.details?.fields?.[0]?.code).toBe('round.columns');
  });

  it('saves nothing when the save fails half-way', async () => {
    const core = demo.core;
    const rows = await Promise.all(
      singleMeters(core, 24)
        .slice(16, 24)
        .map(async (m) => ({ ...m, ...(await plausible(core, m.accountId)) })),
    );
    const csv = [
      'Л/с;Счётчик;Показание;Дата',
      ...rows.map((r) => `${r.number};${r.serial};${r.value};15.11.2026`),
    ].join('\n');
    const check = await call<RoundCheck>(core, 'readings.importCheck', { fileName: 'half.csv', csv });
    expect(check.acceptedCount).toBe(rows.length);
    const before = core.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    core.db.exec(
      `CREATE TEMP TRIGGER fail_half AFTER INSERT ON outbox WHEN (SELECT count(*) FROM outbox) > ${before + 4} BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    try {
      const failed = await refusal(core, 'readings.importApply', { fileName: 'half.csv', csv, digest: check.digest });
      expect(failed.code).toBe('INTERNAL');
    } finally {
      core.db.exec('DROP TRIGGER fail_half');
    }
    expect(core.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(before);
    expect(
      core.db
        .prepare("SELECT count(*) FROM audit_log WHERE operation = 'readings.import' AND details LIKE '%half.csv%'")
        .pluck()
        .get(),
    ).toBe(0);
  });
});

describe('a 10 000-row round', () => {
  it('is checked in under 5 s and saved in one go', async () => {
    const temp = makeTempDir();
    try {
      const source = await demoCityFile(7_000, 13);
      copyFileSync(source, databaseFileIn(temp.dir));
      const core = openCore({ dataDir: temp.dir, shell: 'web', now: () => FIXTURE_TODAY });
      try {
        const meters = core.db
          .prepare<
            [],
            { number: string; serial: string; int_digits: number; frac_digits: number; last: number; used: number }
          >(
            `SELECT a.number, m.serial, m.int_digits, m.frac_digits,
                    (SELECT r.value_litres FROM readings r WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1) AS last,
                    coalesce((SELECT r.value_litres FROM readings r WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1)
                           - (SELECT r.value_litres FROM readings r WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1 OFFSET 1), 3000) AS used
               FROM meters m JOIN accounts a ON a.id = m.account_id WHERE m.removed_on IS NULL AND a.closed_on IS NULL ORDER BY m.id LIMIT 10000`,
          )
          .all();
        expect(meters.length).toBe(10_000);
        const lines = meters.map((m) => {
          const format = { intDigits: m.int_digits, fracDigits: m.frac_digits };
          const step = 10 ** (3 - format.fracDigits);
          const value =
            ((m.last ?? 0) + Math.max(step, Math.round(Math.abs(m.used) / step) * step)) % 10 ** (format.intDigits + 3);
          return `${m.number};${m.serial};${formatReading(value, format)};18.11.2026`;
        });
        const csv = `\uFEFFЛицевой счёт;Заводской номер;Показание;Дата\r\n${lines.join('\r\n')}\r\n`;
        const started = performance.now();
        const check = await call<RoundCheck>(core, 'readings.importCheck', { fileName: 'district.csv', csv });
        const checkMs = performance.now() - started;
        expect(check.rows).toBe(10_000);
        expect(check.acceptedCount + check.refused.length).toBe(10_000);
        expect(check.acceptedCount).toBeGreaterThan(5_000);
        expect(checkMs).toBeLessThan(5_000);
        const t0 = performance.now();
        const saved = await call<RoundApply>(core, 'readings.importApply', {
          fileName: 'district.csv',
          csv,
          digest: check.digest,
        });
        const applyMs = performance.now() - t0;
        expect(saved.saved).toBe(check.acceptedCount);
        console.log(
          `[round] 10 000 rows: checked in ${Math.round(checkMs)} ms (${check.acceptedCount} accepted), checked again and saved in ${Math.round(applyMs)} ms`,
        );
      } finally {
        core.close();
      }
    } finally {
      temp.cleanup();
    }
  }, 120_000);
});

describe('a round synced', () => {
  it('reaches the service as the controller’s readings', async () => {
    const { startCentral } = await import('../helpers/central');
    const { openDesk } = await import('../helpers/desk');
    const cleanups: (() => unknown)[] = [];
    const central = await startCentral('pglite', { accounts: 120, months: 2 });
    try {
      const desk = await openDesk(central, { login: 'senior' }, cleanups);
      await desk.sync();
      const targets = singleMeters(desk.core, 3);
      const rows = await Promise.all(
        targets.map(async (m) => ({ ...m, ...(await plausible(desk.core, m.accountId)) })),
      );
      const csv = [
        'Л/с;Счётчик;Показание;Дата',
        ...rows.map((r) => `${r.number};${r.serial};${r.value};19.11.2026`),
      ].join('\r\n');
      const check = await desk.call<RoundCheck>('readings.importCheck', { fileName: 'sync.csv', csv });
      expect(check.acceptedCount).toBe(rows.length);
      await desk.call('readings.importApply', { fileName: 'sync.csv', csv, digest: check.digest });
      expect(await desk.sync()).toMatchObject({ pending: 0, rejected: 0 });
      const stored = await central.db.query<{ source: string; value_litres: number; operator_id: number }>(
        "SELECT source, value_litres, operator_id FROM readings WHERE meter_id = ANY($1::bigint[]) AND period = '2026-11' ORDER BY meter_id",
        [rows.map((r) => r.meterId)],
      );
      expect(stored.map((s) => [s.source, Number(s.value_litres), Number(s.operator_id)])).toEqual(
        [...rows].sort((a, b) => a.meterId - b.meterId).map((r) => ['controller', r.litres, desk.operatorId]),
      );
      expect(
        desk.db
          .prepare(
            `SELECT count(*) FROM readings WHERE source = 'controller' AND period = '2026-11' AND meter_id IN (${rows.map((r) => r.meterId).join(',')})`,
          )
          .pluck()
          .get(),
      ).toBe(rows.length);
    } finally {
      for (const c of cleanups.reverse()) await c();
      await central.close();
    }
  });
});
