// Approval by role: a finding only a supervisor accepts («очень большой расход», a lower reading marked
// as a meter replacement), entered by another role, is saved held for a supervisor. It syncs, shows as
// held on every desk, is not used for the month's breakdown, and waits in the supervisors' queue until
// one releases, corrects or refuses it with a note. The service decides by the role it knows: a desk
// that says otherwise (a forged push) gets a held reading, and a review from a non-supervisor is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReading } from '../../src-shared/readings/format';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/replication/model';
import type { HeldReading, ReadingsList } from '../../src-shared/schemas/readings';
import type { Breakdown } from '../../src-shared/schemas/statements';
import { startCentral, type Central } from '../helpers/central';
import { credentialsOf, openDesk, type Desk } from '../helpers/desk';

let central: Central;
let agent: Desk; // a call-center desk
let senior: Desk; // a supervisor's desk
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  central = await startCentral('pglite', { accounts: 160, months: 3 });
  agent = await openDesk(central, { login: 'call1' }, cleanups);
  senior = await openDesk(central, { login: 'senior' }, cleanups);
  await Promise.all([agent.sync(), senior.sync()]);
}, 180_000);
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await central?.close();
});

/** The n-th single-meter account with history and an expected consumption, no reading this month yet. */
function target(n: number): { accountId: number; meterId: number } {
  return agent.db
    .prepare<[number], { accountId: number; meterId: number }>(
      `SELECT m.account_id AS accountId, m.id AS meterId FROM meters m
        WHERE m.removed_on IS NULL AND (SELECT count(*) FROM meters x WHERE x.account_id = m.account_id AND x.removed_on IS NULL) = 1
          AND (SELECT count(*) FROM readings r WHERE r.meter_id = m.id) >= 3 AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = '2026-11')
        ORDER BY m.id LIMIT 1 OFFSET ?`,
    )
    .get(n)!;
}

/** Types a very high reading for the account (over the office's factor × expected). */
async function veryHigh(desk: Desk, t: { accountId: number; meterId: number }, reasons: Record<string, string> = {}) {
  const meter = (await desk.call<ReadingsList>('readings.list', { accountId: t.accountId })).meters[0]!;
  const litres = meter.previous!.litres + Math.max(50_000, (meter.expectedLitres ?? 5_000) * 8);
  const value = formatReading(litres - (litres % 10), meter.format);
  return {
    meter,
    litres: litres - (litres % 10),
    result: await desk.call<{ saved: { held: boolean }[] }>('readings.submit', {
      accountId: t.accountId,
      entries: [{ meterId: t.meterId, value, reasons }],
    }),
  };
}

const serviceRows = (meterId: number) =>
  central.db.query<{
    id: number;
    value_litres: number;
    status: string;
    superseded_by: number | null;
    reviewed_by: number | null;
    review_note: string | null;
  }>(
    "SELECT id, value_litres, status, superseded_by, reviewed_by, review_note FROM readings WHERE meter_id = $1 AND period = '2026-11' ORDER BY id",
    [meterId],
  );

describe('readings held for a supervisor', () => {
  it('a call-center agent’s very high reading is held, synced as held, kept off the breakdown, and released by a supervisor with a note', async () => {
    const t = target(0);
    const { litres, result } = await veryHigh(agent, t);
    expect(result.saved[0]!.held).toBe(true);
    expect(
      (await agent.call<ReadingsList>('readings.list', { accountId: t.accountId })).meters[0]!.current,
    ).toMatchObject({ litres, status: 'held', state: 'pending' });
    expect(await agent.sync()).toMatchObject({ pending: 0, rejected: 0 });
    expect(await serviceRows(t.meterId)).toEqual([expect.objectContaining({ value_litres: litres, status: 'held' })]);

    // The supervisor's desk: in the queue, shown as held, not on the month's breakdown.
    await senior.sync();
    const queue = await senior.call<{ readings: HeldReading[]; total: number }>('readings.held', {});
    const held = queue.readings.find((r) => r.meterId === t.meterId)!;
    expect(held).toMatchObject({ accountId: t.accountId, litres, operator: 'Петрова Анна Сергеевна' });
    expect(
      (await senior.call<ReadingsList>('readings.list', { accountId: t.accountId })).meters[0]!.current,
    ).toMatchObject({ litres, status: 'held', state: 'applied' });
    const before = await senior.call<Breakdown>('statements.breakdown', { accountId: t.accountId, period: '2026-11' });
    expect(before.readings.map((r) => r.current?.litres ?? null)).not.toContain(litres);

    // Released: accepted everywhere, with who and why; the queue is empty of it at once.
    await senior.call('readings.review', {
      accountId: t.accountId,
      readingId: held.readingId,
      decision: 'release',
      note: 'Абонент подтвердил утечку, акт № 15',
    });
    expect(
      (await senior.call<{ readings: HeldReading[] }>('readings.held', {})).readings.map((r) => r.readingId),
    ).not.toContain(held.readingId);
    expect(await senior.sync()).toMatchObject({ pending: 0, rejected: 0 });
    expect(await serviceRows(t.meterId)).toEqual([
      expect.objectContaining({
        status: 'accepted',
        reviewed_by: senior.operatorId,
        review_note: 'Абонент подтвердил утечку, акт № 15',
      }),
    ]);
    await agent.sync();
    expect(
      (await agent.call<ReadingsList>('readings.list', { accountId: t.accountId })).meters[0]!.current,
    ).toMatchObject({
      litres,
      status: 'accepted',
      review: { by: 'Ахметов Ерлан Болатович', note: 'Абонент подтвердил утечку, акт № 15' },
    });
    const after = await agent.call<Breakdown>('statements.breakdown', { accountId: t.accountId, period: '2026-11' });
    expect(after.readings.map((r) => r.current?.litres ?? null)).toContain(litres);
    // Audited at the supervisor's desk.
    expect(
      senior.db
        .prepare("SELECT count(*) FROM audit_log WHERE operation = 'readings.review' AND result = 'ok'")
        .pluck()
        .get(),
    ).toBe(1);
  });

  it('a supervisor corrects one (a new row supersedes the held one) and refuses another (never billed)', async () => {
    const a = target(1);
    const b = target(2);
    const first = await veryHigh(agent, a);
    await veryHigh(agent, b);
    await agent.sync();
    await senior.sync();
    const queue = (await senior.call<{ readings: HeldReading[] }>('readings.held', {})).readings;
    const heldA = queue.find((r) => r.meterId === a.meterId)!;
    const heldB = queue.find((r) => r.meterId === b.meterId)!;
    const right = first.meter.previous!.litres + 4_000;
    await senior.call('readings.review', {
      accountId: a.accountId,
      readingId: heldA.readingId,
      decision: 'correct',
      value: formatReading(right, first.meter.format),
      note: 'Ошибка ввода: абонент продиктовал 4 м³',
    });
    await senior.call('readings.review', {
      accountId: b.accountId,
      readingId: heldB.readingId,
      decision: 'refuse',
      note: 'Абонент не подтвердил показание',
    });
    expect(await senior.sync()).toMatchObject({ pending: 0, rejected: 0 });
    const rowsA = await serviceRows(a.meterId);
    expect(rowsA).toEqual([
      expect.objectContaining({
        value_litres: first.litres,
        status: 'held',
        superseded_by: rowsA[1]!.id,
        reviewed_by: senior.operatorId,
      }),
      expect.objectContaining({ value_litres: right, status: 'accepted', superseded_by: null }),
    ]);
    expect(await serviceRows(b.meterId)).toEqual([
      expect.objectContaining({ status: 'refused', review_note: 'Абонент не подтвердил показание' }),
    ]);
    await agent.sync();
    expect(
      (await agent.call<ReadingsList>('readings.list', { accountId: a.accountId })).meters[0]!.current,
    ).toMatchObject({ litres: right, status: 'accepted' });
    // A refused reading is not the meter's reading this month: the breakdown has none for it.
    const breakdown = await agent.call<Breakdown>('statements.breakdown', {
      accountId: b.accountId,
      period: '2026-11',
    });
    expect(breakdown.readings.map((r) => r.current?.litres ?? null)).not.toContain(
      (await serviceRows(b.meterId))[0]!.value_litres,
    );
    // A second decision on a decided reading: refused at the desk, with the reason.
    await expect(
      senior.call('readings.review', {
        accountId: b.accountId,
        readingId: heldB.readingId,
        decision: 'release',
        note: 'ещё раз',
      }),
    ).rejects.toThrow(/reading\.notHeld/);
  });

  it('the gate: only a supervisor sees the queue and decides; another role may not give a supervisor’s reason', async () => {
    const t = target(3);
    const as = (login: string) => (op: string, input: unknown) => agent.core.services.gate(op, input, login);
    await agent.core.services.session.signIn('call1', 'Demo2026', 'call1-window');
    const call1 = as('call1-window');
    expect(await call1('readings.held', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await call1('readings.review', { accountId: t.accountId, readingId: 1, decision: 'release', note: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const meter = (await agent.call<ReadingsList>('readings.list', { accountId: t.accountId })).meters[0]!;
    const litres = meter.previous!.litres + Math.max(50_000, (meter.expectedLitres ?? 5_000) * 8);
    const refused = await call1('readings.submit', {
      accountId: t.accountId,
      entries: [
        {
          meterId: t.meterId,
          value: formatReading(litres - (litres % 10), meter.format),
          reasons: { veryHigh: 'supervisorApproved' },
        },
      ],
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: [{ code: 'reading.supervisorOnly' }] } },
    });
    expect(
      agent.db
        .prepare("SELECT count(*) FROM outbox WHERE account_id = ? AND name = 'readings.submit' AND state = 'pending'")
        .pluck()
        .get(t.accountId),
    ).toBe(0);
    // A supervisor at the same desk (another window) accepts such a reading with the reason at once.
    await agent.core.services.session.signIn('senior', 'Demo2026', 'senior-window');
    const accepted = await as('senior-window')('readings.submit', {
      accountId: t.accountId,
      entries: [
        {
          meterId: t.meterId,
          value: formatReading(litres - (litres % 10), meter.format),
          reasons: { veryHigh: 'supervisorApproved' },
        },
      ],
    });
    expect(accepted).toMatchObject({ ok: true, result: { saved: [{ held: false }] } });
  });

  it('the service holds by the role it knows: a forged push with a supervisor’s reason is held, a forged review is refused', async () => {
    const t = target(4);
    const { clientId, token } = credentialsOf(agent);
    const push = async (name: string, args: object) => {
      const last = Number(
        (
          await central.db.query<{ n: number }>('SELECT last_seq AS n FROM clients WHERE client_id = $1', [clientId])
        )[0]!.n,
      );
      const response = await fetch(`${central.url}/v1/push`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          clientId,
          ackedThrough: last,
          mutations: [{ seq: last + 1, name, operatorId: agent.operatorId, createdAt: '2026-11-20T06:00:00Z', args }],
        }),
      });
      const body = (await response.json()) as { result?: { results: { status: string; code: string | null }[] } };
      if (!body.result) throw new Error(JSON.stringify(body));
      return body.result.results[0]!;
    };
    const meter = (await agent.call<ReadingsList>('readings.list', { accountId: t.accountId })).meters[0]!;
    const litres = meter.previous!.litres + 90_000;
    // The desk says "not held" and gives a supervisor's reason for a call-center agent.
    const submitted = await push('readings.submit', {
      accountId: t.accountId,
      meterId: t.meterId,
      period: '2026-11',
      valueLitres: litres,
      readOn: '2026-11-20',
      kind: 'normal',
      reasons: { veryHigh: 'supervisorApproved' },
      basedOn: null,
      held: false,
    });
    expect(submitted).toMatchObject({ status: 'applied' });
    const row = (await serviceRows(t.meterId)).at(-1)!;
    expect(row).toMatchObject({ value_litres: litres, status: 'held' });
    // And a release of it in the agent's name.
    expect(
      await push('readings.review', {
        accountId: t.accountId,
        meterId: t.meterId,
        readingId: row.id,
        decision: 'release',
        note: 'сам себе',
      }),
    ).toMatchObject({ status: 'rejected', code: 'reading.reviewForbidden' });
    expect((await serviceRows(t.meterId)).at(-1)).toMatchObject({ status: 'held', reviewed_by: null });
  });
});
