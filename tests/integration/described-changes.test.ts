// «Отправка» and the audit screen get changes described by the main process: what waits (account,
// the meter by its serial, the value as the meter shows it, the period, who, when), what was refused,
// and the audit entries' meters and changes instead of internal ids; a settings change old → new.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatReading } from '../../src-shared/readings/format';
import type { AuditEntry } from '../../src-shared/schemas/audit';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import type { OutboxChange, RejectedChange } from '../../src-shared/schemas/sync';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeEach(async () => {
  demo = await openDemoCore();
});
afterEach(() => demo.cleanup());

async function ok<T>(op: string, input: unknown, operatorId: number | null = 1): Promise<T> {
  const outcome = await demo.core.services.dispatch(op as never, input as never, { operatorId, role: 'supervisor' });
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

/** An account with two meters that both have a previous reading, and the demo operator who enters. */
function setting() {
  const accountId = demo.core.db
    .prepare<[], number>(
      `SELECT m.account_id FROM meters m WHERE m.removed_on IS NULL AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id)
        GROUP BY m.account_id HAVING count(*) = 2 ORDER BY m.account_id LIMIT 1`,
    )
    .pluck()
    .get()!;
  const operator = demo.core.db
    .prepare<[], { id: number; full_name: string }>('SELECT id, full_name FROM operators ORDER BY id LIMIT 1')
    .get()!;
  return { accountId, operator };
}

describe('changes described by the main process', () => {
  it('lists what waits with the account number, meter serial, value, period and operator, never ids', async () => {
    const { accountId, operator } = setting();
    const state = await ok<ReadingsList>('readings.list', { accountId }, operator.id);
    const entries = state.meters.map((m) => ({
      meterId: m.meterId,
      value: formatReading(m.previous!.litres + (m.expectedLitres ?? 3000), m.format),
    }));
    await ok('readings.submit', { accountId, entries }, operator.id);

    const { changes, total } = await ok<{ changes: OutboxChange[]; total: number }>('sync.pending', {});
    expect(total).toBe(2);
    const number = demo.core.db
      .prepare<[number], string>('SELECT number FROM accounts WHERE id = ?')
      .pluck()
      .get(accountId)!;
    expect(changes.map((c) => c.what)).toEqual(
      state.meters.map((m, i) => ({
        kind: 'reading',
        meter: m.serial,
        value: entries[i]!.value,
        period: state.period,
        held: false,
      })),
    );
    expect(changes[0]).toMatchObject({
      name: 'readings.submit',
      state: 'pending',
      accountId,
      accountNumber: number,
      operatorName: operator.full_name,
    });
    expect(changes[0]).not.toHaveProperty('args');
    expect((await ok<{ changes: OutboxChange[] }>('sync.pending', { limit: 1 })).changes).toHaveLength(1);

    // The audit entry of that submit names the meters by serial and the values, not ids 2, 3.
    const { entries: audit } = await ok<{ entries: AuditEntry[] }>('audit.list', {});
    const submit = audit.find((e) => e.operation === 'readings.submit')!;
    expect(submit.subjects.meters).toEqual(state.meters.map((m) => m.serial));
    expect(submit.subjects.changes.map((c) => c.kind === 'reading' && c.value)).toEqual(entries.map((e) => e.value));
  });

  it('describes a refused change the same way, with its reason', async () => {
    const { accountId, operator } = setting();
    const state = await ok<ReadingsList>('readings.list', { accountId }, operator.id);
    const meter = state.meters[0]!;
    const value = formatReading(meter.previous!.litres + (meter.expectedLitres ?? 3000), meter.format);
    await ok(
      'readings.submit',
      { accountId, entries: [{ meterId: meter.meterId, value }], partialConfirmed: true },
      operator.id,
    );
    demo.core.db
      .prepare("UPDATE outbox SET state = 'rejected', error_code = 'reading.periodClosed', error_message = 'closed'")
      .run();
    const { changes } = await ok<{ changes: RejectedChange[] }>('sync.rejected', {});
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      state: 'rejected',
      code: 'reading.periodClosed',
      what: { kind: 'reading', meter: meter.serial, value },
      operatorName: operator.full_name,
    });
    expect((await ok<{ total: number }>('sync.pending', {})).total).toBe(0);
  });

  it('records a settings change old → new, and a secret only as replaced', async () => {
    await ok('settings.set', { idleLockMinutes: 22 });
    await ok('settings.set', {
      idleLockMinutes: 15,
      central: { url: 'https://aquadesk.example.kz', officeKey: 'a-secret-office-key' },
    });
    const { entries } = await ok<{ entries: AuditEntry[] }>('audit.list', {});
    const last = JSON.parse(entries.find((e) => e.operation === 'settings.set')!.details!) as {
      keys: string[];
      changes: unknown[];
    };
    expect(last.keys).toEqual(['idleLockMinutes', 'central']);
    expect(last.changes).toEqual([
      { setting: 'idleLockMinutes', from: 22, to: 15 },
      { setting: 'central.url', from: '', to: 'https://aquadesk.example.kz' },
      { setting: 'central.officeKey' },
    ]);
    expect(JSON.stringify(entries)).not.toContain('a-secret-office-key');
  });
});
