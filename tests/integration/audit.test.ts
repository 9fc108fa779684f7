import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { createAuditRepo } from '../../src-main/store/repos/audit';
import { makeTempDir } from '../helpers/tmp';

let temp: ReturnType<typeof makeTempDir>;
let core: Core;
afterEach(() => {
  core?.close();
  temp?.cleanup();
});

function seed() {
  temp = makeTempDir();
  core = openCore({ dataDir: temp.dir, shell: 'web', now: () => new Date('2026-11-24T10:00:00Z') });
  core.db
    .prepare(
      "INSERT INTO operators (id, login, full_name, role) VALUES (1, 'op1', 'Сейітқали Әсел', 'counter'), (2, 'sv', 'Иванова Алёна', 'supervisor')",
    )
    .run();
  const audit = createAuditRepo(core.db);
  audit.record({
    at: '2026-11-20T04:00:00.000Z',
    operatorId: 1,
    accountId: null,
    operation: 'readings.submit',
    result: 'ok',
    details: { note: 'кухня; "горячая"' },
  });
  audit.record({
    at: '2026-11-22T20:30:00.000Z',
    operatorId: 2,
    accountId: null,
    operation: 'webAccount.block',
    result: 'denied',
  });
  audit.record({
    at: '2026-11-23T08:00:00.000Z',
    operatorId: 1,
    accountId: null,
    operation: 'statements.email',
    result: 'ok',
  });
}

describe('audit trail', () => {
  it('filters by operator and by Almaty dates', async () => {
    seed();
    const byOperator = await core.services.dispatch('audit.list', { operatorId: 1 });
    expect(byOperator.ok && byOperator.result).toMatchObject({
      total: 2,
      entries: [{ operation: 'statements.email', operatorName: 'Сейітқали Әсел' }, { operation: 'readings.submit' }],
    });
    // 2026-11-22T20:30Z is already 23 November in Almaty (UTC+5).
    const onThe23rd = await core.services.dispatch('audit.list', { from: '2026-11-23', to: '2026-11-23' });
    expect(
      onThe23rd.ok && (onThe23rd.result as { entries: { operation: string }[] }).entries.map((e) => e.operation),
    ).toEqual(['statements.email', 'webAccount.block']);
  });

  it("cuts 2023 days at 18:00 UTC (Almaty was UTC+6 until 1 March 2024), not at today's 19:00", async () => {
    seed();
    const audit = createAuditRepo(core.db);
    audit.record({
      at: '2023-06-01T18:30:00.000Z',
      operatorId: 1,
      accountId: null,
      operation: 'mail.test',
      result: 'ok',
    }); // 2 June, 00:30 in Almaty
    audit.record({
      at: '2023-06-01T17:30:00.000Z',
      operatorId: 1,
      accountId: null,
      operation: 'settings.set',
      result: 'ok',
    }); // 1 June, 23:30
    const second = await core.services.dispatch('audit.list', { from: '2023-06-02', to: '2023-06-02' });
    expect(
      second.ok && (second.result as { entries: { operation: string }[] }).entries.map((e) => e.operation),
    ).toEqual(['mail.test']);
    const first = await core.services.dispatch('audit.list', { from: '2023-06-01', to: '2023-06-01' });
    expect(first.ok && (first.result as { entries: { operation: string }[] }).entries.map((e) => e.operation)).toEqual([
      'settings.set',
    ]);
  });

  it('refuses an inverted date range', async () => {
    seed();
    const outcome = await core.services.dispatch('audit.list', { from: '2026-11-23', to: '2026-11-01' });
    expect(outcome.ok ? null : outcome.error.code).toBe('VALIDATION');
  });

  it('exports CSV with the right columns, a BOM for Excel and Cyrillic intact', async () => {
    seed();
    const outcome = await core.services.dispatch('audit.csv', {});
    expect(outcome.ok).toBe(true);
    const { csv, rows, fileName } = (outcome as { result: { csv: string; rows: number; fileName: string } }).result;
    expect(fileName).toBe('Журнал_2026-11-24.csv');
    expect(rows).toBe(3);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Дата и время (Алматы);Оператор;Лицевой счёт;Операция;Результат;Подробности');
    expect(lines).toHaveLength(4);
    // Local time, not UTC: 04:00Z is 09:00 in Almaty.
    expect(lines[3]).toBe(
      '2026-11-20 09:00:00;Сейітқали Әсел;;readings.submit;ok;"{""note"":""кухня; \\""горячая\\""""}"',
    );
  });

  it('writes cells that start like a spreadsheet formula as text: = + - @, tab and CR are defused', async () => {
    seed();
    core.db
      .prepare(
        "INSERT INTO operators (id, login, full_name, role) VALUES (3, 'x1', '=HYPERLINK(\"http://evil.example\";\"жми\")', 'counter'), (4, 'x2', '+7 701', 'counter'), (5, 'x3', '-2+3', 'counter'), (6, 'x4', '@SUM(A1)', 'counter'), (7, 'x5', '\tTab', 'counter')",
      )
      .run();
    const audit = createAuditRepo(core.db);
    for (const id of [3, 4, 5, 6, 7])
      audit.record({
        at: '2026-11-23T09:00:00.000Z',
        operatorId: id,
        accountId: null,
        operation: 'readings.submit',
        result: 'ok',
      });
    const outcome = await core.services.dispatch('audit.csv', {});
    const { csv } = (outcome as { result: { csv: string } }).result;
    const cells = csv.split('\r\n').map((line) => line.split(';')[1] ?? '');
    for (const cell of cells) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain("'=HYPERLINK");
    expect(csv).toContain("'+7 701");
    expect(csv).toContain("'@SUM(A1)");
  });
});
