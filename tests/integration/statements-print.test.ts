// statements.print through the dispatcher on a real demo store: the shell's printer gets the very PDF
// the PDF operations give (same bytes, same name) with the asking client; its answers and its
// refusals pass through as they are; without a printer (the web shell) the answer is 'browser'.
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileIn, openCore, type Core } from '../../src-main/core';
import type { PrintJob, StatementPrinter } from '../../src-main/services/printing';
import { AppError } from '../../src-shared/errors';
import type { StatementPdf } from '../../src-shared/schemas/statements';
import { demoCityFile, FIXTURE_TODAY, openDemoCore, type DemoCore } from '../fixtures/demo';
import { makeTempDir } from '../helpers/tmp';

const jobs: PrintJob[] = [];
let answer: () => Promise<'printed' | 'cancelled'> = async () => 'printed';
const printer: StatementPrinter = {
  print(job) {
    jobs.push(job);
    return answer();
  },
};

let web: DemoCore;
let desktop: Core;
let temp: ReturnType<typeof makeTempDir>;
let accountId: number;
beforeAll(async () => {
  web = await openDemoCore(300, 24);
  temp = makeTempDir();
  copyFileSync(await demoCityFile(300, 24), databaseFileIn(temp.dir));
  desktop = openCore({ dataDir: temp.dir, shell: 'electron', now: () => FIXTURE_TODAY, printer });
  accountId = desktop.db
    .prepare<[], number>(
      "SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.language = 'ru' AND a.kind = 'individual' AND a.closed_on IS NULL LIMIT 1",
    )
    .pluck()
    .get()!;
});
afterAll(() => {
  web?.cleanup();
  desktop?.close();
  temp?.cleanup();
});

const print = (core: Core, input: unknown) =>
  core.services.dispatch('statements.print', input as never, { operatorId: null, client: 'window:3' });
const pdf = async (op: string, input: unknown) => {
  const outcome = await desktop.services.dispatch(op as never, input as never);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as StatementPdf;
};

describe('statements.print', () => {
  it('hands the desktop printer the breakdown PDF itself, with the asking window', async () => {
    jobs.length = 0;
    expect(await print(desktop, { kind: 'breakdown', accountId, period: '2026-10', language: 'kk' })).toEqual({
      ok: true,
      result: { status: 'printed' },
    });
    const same = await pdf('statements.breakdownPdf', { accountId, period: '2026-10', language: 'kk' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.fileName).toBe(same.fileName);
    expect(Buffer.from(jobs[0]!.bytes).toString('base64')).toBe(same.base64);
    expect(jobs[0]!.client).toBe('window:3');
  });

  it('and the reconciliation the same way; the operator cancelling is an answer, not an error', async () => {
    jobs.length = 0;
    answer = async () => 'cancelled';
    const range = { from: '2026-01-01', to: '2026-10-31' };
    expect(await print(desktop, { kind: 'reconciliation', accountId, ...range })).toEqual({
      ok: true,
      result: { status: 'cancelled' },
    });
    const same = await pdf('statements.reconciliationPdf', { accountId, ...range });
    expect(Buffer.from(jobs[0]!.bytes).toString('base64')).toBe(same.base64);
    answer = async () => 'printed';
  });

  it("passes the printer's refusal on with its reason (the renderer translates it)", async () => {
    answer = async () => {
      throw new AppError('UNAVAILABLE', 'No printer is installed on this computer', { reason: 'statements.noPrinter' });
    };
    const outcome = await print(desktop, { kind: 'breakdown', accountId, period: '2026-10' });
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { reason: 'statements.noPrinter' } },
    });
    answer = async () => 'printed';
  });

  it('checks the document first: a bad period is a field error and reaches no printer', async () => {
    jobs.length = 0;
    const outcome = await print(desktop, { kind: 'breakdown', accountId, period: '2027-01' });
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: [{ path: 'period', code: 'statements.periodInFuture' }] } },
    });
    expect((await print(desktop, { accountId, period: '2026-10' })).ok).toBe(false); // no kind
    expect(jobs).toHaveLength(0);
  });

  it("in the web shell (no printer of its own) answers 'browser' at once: the browser's dialog prints", async () => {
    expect(await print(web.core, { kind: 'breakdown', accountId, period: '2026-10' })).toEqual({
      ok: true,
      result: { status: 'browser' },
    });
  });
});
