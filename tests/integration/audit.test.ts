import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { createAuditRepo } from '../../src-main/store/repos/audit';
import { auditWordsWith } from '../../src-renderer/composables/audit-words';
import { i18n } from '../../src-renderer/i18n';
import type { AuditEntry } from '../../src-shared/schemas/audit';
import { makeTempDir } from '../helpers/tmp';

let temp: ReturnType<typeof makeTempDir>;
let core: Core;
afterEach(() => {
  core?.close();
  temp?.cleanup();
});

/** The CSV the audit screen saves, in a language. */
function csvIn(language: 'ru' | 'kk' | 'en', entries: AuditEntry[], now: Date) {
  i18n.global.locale.value = language;
  try {
    return auditWordsWith(i18n.global as never).csv(entries, now);
  } finally {
    i18n.global.locale.value = 'ru';
  }
}

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
    operation: 'web.block',
    result: 'denied',
  });
  audit.record({
    at: '2026-11-23T08:00:00.000Z',
    operatorId: 1,
    accountId: null,
    operation: 'statements.print',
    result: 'ok',
  });
}

describe('audit trail', () => {
  it('filters by operator and by Almaty dates', async () => {
    seed();
    const byOperator = await core.services.dispatch('audit.list', { operatorId: 1 });
    expect(byOperator.ok && byOperator.result).toMatchObject({
      total: 2,
      entries: [{ operation: 'statements.print', operatorName: 'Сейітқали Әсел' }, { operation: 'readings.submit' }],
    });
    // 2026-11-22T20:30Z is already 23 November in Almaty (UTC+5).
    const onThe23rd = await core.services.dispatch('audit.list', { from: '2026-11-23', to: '2026-11-23' });
    expect(
      onThe23rd.ok && (onThe23rd.result as { entries: { operation: string }[] }).entries.map((e) => e.operation),
    ).toEqual(['statements.print', 'web.block']);
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

  it("exports CSV in the operator's words, as the screen says them: Almaty times, operations and results", async () => {
    seed();
    const outcome = await core.services.dispatch('audit.csv', { limit: 1 });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    // Every entry of the filter, whatever page the screen shows.
    const { entries } = outcome.result as { entries: AuditEntry[] };
    expect(entries).toHaveLength(3);
    const now = new Date('2026-11-24T20:00:00Z'); // already the 25th in Almaty
    const { csv, fileName } = csvIn('ru', entries, now);
    expect(fileName).toBe('Журнал_2026-11-25.csv');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Дата и время (Алматы);Оператор;Лицевой счёт;Действие;Результат;Подробности');
    expect(lines).toHaveLength(4);
    // Local time, not UTC: 04:00Z is 09:00 in Almaty; the operation and result as the screen names them.
    expect(lines[3]).toBe(
      '2026-11-20 09:00:00;Сейітқали Әсел;;Передача показаний;выполнено;"примечание: кухня; ""горячая"""',
    );
    expect(lines[2]).toBe('2026-11-23 01:30:00;Иванова Алёна;;Блокировка кабинета;отказано;');
    expect(csv).not.toMatch(/readings\.submit|web\.block|;ok;|;denied;|Z;/);
    // The same words in Kazakh and English.
    const en = csvIn('en', entries, now);
    expect(en.fileName).toBe('Audit_2026-11-25.csv');
    expect(en.csv.split('\r\n')[0]).toBe('\uFEFFDate and time (Almaty);Operator;Account;Action;Result;Details');
    expect(en.csv).toContain(';Readings submitted;done;');
    expect(csvIn('kk', entries, now).csv).toContain(';Көрсеткіштерді беру;орындалды;');
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
    const { csv } = csvIn('ru', (outcome as { result: { entries: AuditEntry[] } }).result.entries, new Date());
    const cells = csv.split('\r\n').map((line) => line.split(';')[1] ?? '');
    for (const cell of cells) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain("'=HYPERLINK");
    expect(csv).toContain("'+7 701");
    expect(csv).toContain("'@SUM(A1)");
  });
});
