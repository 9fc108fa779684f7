// The office's month in bulk: one PDF of 200 customers' breakdowns or debt notices, rendered by the
// worker thread, checked page by page with pdftotext — each customer's pages name its account and
// its amount to the tiyn as the desk's own figures have it (statements.breakdown's «к оплате», the
// debt list's debt); a cancelled batch leaves no file, half or whole; whom a batch is for is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatTiyn } from '../../src-shared/domain/money';
import type { BatchPdfOutput, DebtsList } from '../../src-shared/schemas/debts';
import type { Breakdown } from '../../src-shared/schemas/statements';
import { openDemoCore, type DemoCore } from '../fixtures/demo';
import { pdfText } from '../helpers/pdf';

const SUPERVISOR = { operatorId: 6, role: 'supervisor' as const };
let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(600, 24);
});
afterAll(() => demo.cleanup());

async function call<T>(op: string, input: unknown): Promise<T> {
  const outcome = await demo.core.services.dispatch(op as never, input as never, SUPERVISOR);
  if (!outcome.ok) throw Object.assign(new Error(`${op}: ${JSON.stringify(outcome.error)}`), { error: outcome.error });
  return outcome.result as T;
}
const batch = (input: unknown) => call<BatchPdfOutput>('debts.batchPdf', input);

async function finished(jobId: string): Promise<BatchPdfOutput> {
  for (let i = 0; i < 1200; i++) {
    const job = await batch({ action: 'progress', jobId });
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the batch did not finish');
}
async function fileOf(jobId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ;) {
    const { part } = await batch({ action: 'part', jobId, offset });
    parts.push(Buffer.from(part!.base64, 'base64'));
    offset += parts.at(-1)!.length;
    if (part!.end) return Buffer.concat(parts);
  }
}
/** Each customer's pages (a document starts at «Стр. 1 из»), with spaces as a reader sees them. */
function documents(pdf: Buffer): string[] {
  const pages = pdfText(pdf)
    .replace(/\u00a0/g, ' ')
    .split('\f')
    .filter((p) => p.trim());
  const out: string[] = [];
  for (const page of pages) {
    if (/(Стр\.|Бет) 1 (из|\/)/.test(page) || out.length === 0) out.push(page);
    else out[out.length - 1] += page;
  }
  return out;
}
const money = (tiyn: number) => formatTiyn(tiyn, { separator: ' ' });
const batchesDir = () => join(demo.dataDir, 'batches');

describe('a batch PDF of the debt list', () => {
  it('prints 200 customers’ breakdowns into one PDF, each naming its account and its sum to pay', async () => {
    const list = await call<DebtsList>('debts.list', { sort: 'address', order: 'asc', limit: 200 });
    expect(list.rows).toHaveLength(200);
    const ids = list.rows.map((r) => r.accountId);
    const started = await batch({ action: 'start', document: 'breakdown', accountIds: ids, language: 'ru' });
    expect(started).toMatchObject({ state: 'running', total: 200 });
    const job = await finished(started.jobId);
    expect(job).toMatchObject({ state: 'done', done: 200, leftMs: 0 });
    const pdf = await fileOf(job.jobId);
    expect(pdf.length).toBe(job.sizeBytes);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const docs = documents(pdf);
    expect(docs).toHaveLength(200 - job.skipped.length);
    expect(job.pages).toBeGreaterThanOrEqual(docs.length);
    const printed = list.rows.filter((r) => !job.skipped.includes(r.number));
    for (const [i, row] of printed.entries()) {
      const own = await call<Breakdown>('statements.breakdown', { accountId: row.accountId });
      const page = docs[i]!;
      expect(page, row.number).toMatch(new RegExp(`Лицевой счёт:\\s+${row.number}\\n`));
      expect(page, row.number).toMatch(new RegExp(`Итого к оплате\\s+${money(own.totals.toPayTiyn)}`));
    }
  }, 240_000);

  it('prints debt notices of every customer the filter matches, each with its debt and months', async () => {
    const filter = { minDebt: '5 000,00', minMonths: 1, districtId: null, streetId: null };
    const list = await call<DebtsList>('debts.list', { ...filter, sort: 'address', order: 'asc' });
    expect(list.totals.count).toBeGreaterThan(10);
    const started = await batch({ action: 'start', document: 'notice', accountIds: null, filter, language: null });
    const job = await finished(started.jobId);
    expect(job).toMatchObject({ state: 'done', total: list.totals.count, pages: list.totals.count });
    expect(job.fileName).toMatch(/^Уведомление_2026-11-20_\d+\.pdf$/);
    const docs = documents(await fileOf(job.jobId));
    expect(docs).toHaveLength(list.totals.count);
    for (const [i, row] of list.rows.entries()) {
      const page = docs[i]!;
      expect(page).toMatch(new RegExp(`(Лицевой счёт|Дербес шот):\\s+${row.number}\\n`));
      expect(page).toMatch(new RegExp(`(Сумма задолженности|Берешек сомасы)\\s+${money(row.debtTiyn)}`));
      expect(page).toMatch(/Уведомление о задолженности|Берешек туралы хабарлама/);
    }
  }, 240_000);

  it('cancelled, leaves no file at all', async () => {
    const list = await call<DebtsList>('debts.list', { limit: 250 });
    const started = await batch({
      action: 'start',
      document: 'breakdown',
      accountIds: list.rows.map((r) => r.accountId),
    });
    const cancelled = await batch({ action: 'cancel', jobId: started.jobId });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.done).toBeLessThan(cancelled.total);
    expect(existsSync(batchesDir()) ? readdirSync(batchesDir()) : []).toEqual([]);
    const refused = await demo.core.services.dispatch(
      'debts.batchPdf',
      { action: 'part', jobId: started.jobId, offset: 0 },
      SUPERVISOR,
    );
    expect(refused).toMatchObject({ ok: false, error: { details: { reason: 'debts.gone' } } });
  }, 120_000);

  it('refuses a batch for nobody, for an account that owes nothing, and a second one meanwhile', async () => {
    const none = await demo.core.services.dispatch(
      'debts.batchPdf',
      { action: 'start', document: 'notice', filter: { minDebt: '999 999 999,00' } },
      SUPERVISOR,
    );
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { reason: 'debts.noneSelected' } } });
    const paid = demo.core.db
      .prepare<[], number>('SELECT id FROM accounts WHERE balance_tiyn <= 0 LIMIT 1')
      .pluck()
      .get()!;
    const notDebtor = await demo.core.services.dispatch(
      'debts.batchPdf',
      { action: 'start', document: 'notice', accountIds: [paid] },
      SUPERVISOR,
    );
    expect(notDebtor).toMatchObject({ ok: false, error: { details: { reason: 'debts.notDebtor' } } });
    const badMoney = await demo.core.services.dispatch(
      'debts.batchPdf',
      { action: 'start', document: 'notice', filter: { minDebt: 'много' } },
      SUPERVISOR,
    );
    expect(badMoney).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const first = await batch({ action: 'start', document: 'breakdown', filter: {} });
    const second = await demo.core.services.dispatch(
      'debts.batchPdf',
      { action: 'start', document: 'notice' },
      SUPERVISOR,
    );
    expect(second).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'debts.busy' } } });
    await batch({ action: 'cancel', jobId: first.jobId });
  }, 120_000);
});
