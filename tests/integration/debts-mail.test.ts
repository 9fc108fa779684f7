// The debt notices by email: each customer's letter goes into the desk's mail outbox once per mailing
// — a second start queues nothing, a start after an interruption queues only the rest — and the
// customers without an email are reported by name, never silently left out; the letter's PDF states
// the customer's debt to the tiyn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTiyn } from '../../src-shared/domain/money';
import type { BatchMailOutput, DebtsList } from '../../src-shared/schemas/debts';
import { createBatchMail } from '../../src-main/services/debts/mail';
import { createDebtList } from '../../src-main/services/debts/list';
import { createMailService } from '../../src-main/services/mail';
import { createSettingsService } from '../../src-main/services/settings';
import { createStatementsService } from '../../src-main/services/statements';
import { openDemoCore, type DemoCore } from '../fixtures/demo';
import { pdfText } from '../helpers/pdf';

const SUPERVISOR = { operatorId: 6, role: 'supervisor' as const };
let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(300, 24);
});
afterAll(() => demo.cleanup());

async function call<T>(op: string, input: unknown): Promise<T> {
  const outcome = await demo.core.services.dispatch(op as never, input as never, SUPERVISOR);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}
const lettersPerAccount = () =>
  demo.core.db
    .prepare<[], { account_id: number; n: number }>(
      "SELECT account_id, count(*) AS n FROM mail_outbox WHERE subject LIKE '%уведомление о задолженности%' OR subject LIKE '%берешек туралы%' GROUP BY account_id",
    )
    .all();

describe('debt notices by email', () => {
  const filter = { minDebt: '', minMonths: 2, districtId: null, streetId: null };

  it('queues each customer’s letter once however often it is started, and names those without email', async () => {
    const list = await call<DebtsList>('debts.list', { ...filter, sort: 'address', order: 'asc' });
    const half = list.rows.slice(0, Math.floor(list.rows.length / 2)).map((r) => r.accountId);
    const first = await call<BatchMailOutput>('debts.batchMail', { document: 'notice', accountIds: half });
    expect(first.mailing).toBe('notice:2026-10');

    const all = await call<BatchMailOutput>('debts.batchMail', { document: 'notice', filter });
    const withoutEmail = list.rows.filter((r) => !r.email);
    expect(withoutEmail.length).toBeGreaterThan(0);
    expect(all.total).toBe(list.totals.count);
    expect(all.noEmail.map((c) => c.number).sort()).toEqual(withoutEmail.map((r) => r.number).sort());
    expect(all.already).toBe(first.queued);
    expect(first.queued + all.queued).toBe(list.rows.length - withoutEmail.length);

    const again = await call<BatchMailOutput>('debts.batchMail', { document: 'notice', filter });
    expect(again).toMatchObject({ queued: 0, already: first.queued + all.queued });
    const letters = lettersPerAccount();
    expect(letters).toHaveLength(first.queued + all.queued);
    expect(letters.every((l) => l.n === 1)).toBe(true);

    // The letter itself: to the owner's address, the PDF stating the debt of the list.
    const row = list.rows.find((r) => r.email)!;
    const mail = demo.core.db
      .prepare<[number], { to_address: string; attachment: Buffer; subject: string }>(
        'SELECT to_address, attachment, subject FROM mail_outbox WHERE account_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(row.accountId)!;
    expect(mail.subject).toContain(row.number);
    expect(pdfText(mail.attachment).replace(/\u00a0/g, ' ')).toContain(formatTiyn(row.debtTiyn, { separator: ' ' }));
  });

  it('after an interruption, the next start sends exactly the letters not yet queued', async () => {
    const settings = createSettingsService(demo.core.ctx);
    const mail = createMailService(demo.core.ctx, settings);
    const statements = createStatementsService(demo.core.ctx, settings);
    let n = 0;
    const failing = {
      enqueue: (m: Parameters<typeof mail.enqueue>[0]) => {
        if (++n === 4) throw new Error('the disk is full');
        return mail.enqueue(m);
      },
    };
    const interrupted = createBatchMail(demo.core.ctx, createDebtList(demo.core.db), statements, failing);
    const target = {
      document: 'breakdown' as const,
      accountIds: null,
      filter: { minDebt: 1, minMonths: 2, districtId: null, streetId: null },
      language: null,
    };
    const before = demo.core.db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM mail_outbox').pluck().get()!;
    await expect(interrupted.send(target, SUPERVISOR)).rejects.toThrow('the disk is full');
    const resumed = await call<BatchMailOutput>('debts.batchMail', { document: 'breakdown', filter });
    expect(resumed.already).toBe(3);
    const letters = demo.core.db
      .prepare<[number], { n: number }>('SELECT count(*) AS n FROM mail_outbox WHERE id > ? GROUP BY account_id')
      .all(before);
    expect(letters.length).toBe(3 + resumed.queued);
    expect(letters.every((l) => l.n === 1)).toBe(true);
  });
});
