// The supervisor's contacts report: contacts counted by operator, Almaty day and topic with the average
// duration of the closed ones, this desk's unsent ones included; and the same as a CSV file whose
// columns and words are in the operator's language, with days as Almaty has them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactsReport } from '../../src-shared/schemas/contacts';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeEach(async () => {
  demo = await openDemoCore(120, 2);
});
afterEach(() => demo.cleanup());

const supervisor = { operatorId: 1, role: 'supervisor' as const };
async function ok<T>(op: string, input: unknown): Promise<T> {
  const outcome = await demo.core.services.dispatch(op as never, input as never, supervisor);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

/** Replicated contacts as a pull brings them: [operator, start, seconds long (null: still open), topic]. */
function given(rows: [number, string, number | null, string | null][]) {
  const insert = demo.core.db.prepare(
    "INSERT INTO contacts (id, channel, account_id, operator_id, started_at, ended_at, topic_id, note, actions, version) VALUES (?, 'phone', NULL, ?, ?, ?, ?, NULL, '[]', 1)",
  );
  rows.forEach(([operator, start, seconds, topic], i) => {
    const end = seconds === null ? null : new Date(Date.parse(start) + seconds * 1000).toISOString();
    insert.run(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, operator, start, end, topic);
  });
}

function operators(): [number, string][] {
  return demo.core.db
    .prepare<[], [number, string]>('SELECT id, full_name FROM operators ORDER BY id LIMIT 2')
    .raw()
    .all() as [number, string][];
}

describe('contacts report', () => {
  it('counts by operator, Almaty day and topic, with the average duration of the closed ones', async () => {
    const [[a, nameA], [b, nameB]] = operators() as [[number, string], [number, string]];
    given([
      [a, '2026-11-18T04:00:00Z', 120, 'debt'], // 09:00 in Almaty on the 18th
      [a, '2026-11-18T05:00:00Z', 240, 'debt'],
      [a, '2026-11-18T06:00:00Z', null, 'debt'], // still open: counted, not in the average
      [b, '2026-11-18T07:00:00Z', 61, null],
      [a, '2026-11-18T20:30:00Z', 30, 'debt'], // 01:30 on the 19th in Almaty
      [a, '2026-11-16T20:00:00Z', 30, 'debt'], // the 17th: outside the range
    ]);
    const report = await ok<ContactsReport>('contacts.report', { from: '2026-11-18', to: '2026-11-19' });
    expect(report.rows).toEqual(
      [
        { operatorId: a, operatorName: nameA, day: '2026-11-18', topicId: 'debt', count: 3, averageSeconds: 180 },
        { operatorId: b, operatorName: nameB, day: '2026-11-18', topicId: null, count: 1, averageSeconds: 61 },
        { operatorId: a, operatorName: nameA, day: '2026-11-19', topicId: 'debt', count: 1, averageSeconds: 30 },
      ].sort((x, y) => x.day.localeCompare(y.day) || x.operatorName.localeCompare(y.operatorName)),
    );
    expect(report.total).toBe(5);
    expect(report.averageSeconds).toBe(Math.round((120 + 240 + 61 + 30) / 4));
    const byOperator = await ok<ContactsReport>('contacts.report', {
      from: '2026-11-18',
      to: '2026-11-19',
      operatorId: b,
    });
    expect(byOperator.rows.map((r) => r.count)).toEqual([1]);
    const byTopic = await ok<ContactsReport>('contacts.report', {
      from: '2026-11-18',
      to: '2026-11-18',
      topicId: 'debt',
    });
    expect(byTopic).toMatchObject({ total: 3, averageSeconds: 180 });

    // The CSV in the operator's language: columns in words, days as dd.MM.yyyy, durations as m:ss.
    const ru = await ok<{ fileName: string; csv: string; rows: number }>('contacts.csv', {
      from: '2026-11-18',
      to: '2026-11-19',
      topicId: 'debt',
      language: 'ru',
    });
    const lines = ru.csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('День;Оператор;Тема;Обращений;Средняя длительность');
    expect(lines[1]).toBe(`18.11.2026;${nameA};Задолженность и оплата;3;3:00`);
    expect(lines[2]).toBe(`19.11.2026;${nameA};Задолженность и оплата;1;0:30`);
    expect(lines[3]).toBe('Итого;;;4;2:10');
    expect(ru.fileName).toBe('Обращения_2026-11-18_2026-11-19.csv');
    const en = await ok<{ csv: string }>('contacts.csv', {
      from: '2026-11-18',
      to: '2026-11-18',
      operatorId: b,
      language: 'en',
    });
    expect(
      en.csv
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(0, 2),
    ).toEqual(['Day;Operator;Topic;Contacts;Average duration', `18.11.2026;${nameB};no topic;1;1:01`]);
    const kk = await ok<{ csv: string }>('contacts.csv', { from: '2026-11-18', to: '2026-11-18', language: 'kk' });
    expect(kk.csv).toContain('Күн;Оператор;Тақырып;Өтініштер;Орташа ұзақтығы');
    expect(kk.csv).toContain(';Қарыз және төлем;');
  });

  it('counts a contact of this desk not yet sent, and one open now', async () => {
    const accountId = demo.core.db.prepare<[], number>('SELECT id FROM accounts ORDER BY id LIMIT 1').pluck().get()!;
    await ok('contacts.open', { channel: 'visit', accountId });
    await ok('contacts.open', { channel: 'phone' }); // ends the visit, begins a call
    const report = await ok<ContactsReport>('contacts.report', { from: '2026-11-20', to: '2026-11-20' });
    expect(report.total).toBe(2);
    expect(report.averageSeconds).toBe(0);
    const refused = await demo.core.services.dispatch(
      'contacts.report',
      { from: '2026-11-20', to: 'вчера' },
      supervisor,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
