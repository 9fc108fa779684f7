// `npm run bench -- readings`: p50/p95 of readings.submit (a local commit with synchronous=FULL:
// the outbox row and the audit row in one transaction) against, in the same run and sample by sample
// alternately, the floor: a bare single-row insert with the same durability. Target: p95 ≤ 2× the floor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../src-main/core';
import { generateDemoDatabase } from '../src-main/demo/generate';
import { databaseFileIn } from '../src-main/core';
import { openDb } from '../src-main/store/db';
import { formatReading } from '../src-shared/readings/format';
import { latencyResults, type BenchResult } from './report';

export async function run(args: string[]): Promise<BenchResult[]> {
  const samples = Number(args[args.indexOf('--samples') + 1] ?? 0) || 1000;
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-readings-'));
  try {
    const today = new Date('2026-11-20T06:00:00Z');
    await generateDemoDatabase({ file: databaseFileIn(dir), accounts: 2000, months: 3, seed: 7, today });
    const core = openCore({ dataDir: dir, shell: 'web', now: () => today });
    // Accounts with one meter each, so one entry per submit, cycling through many accounts.
    const targets = core.db
      .prepare<[], { accountId: number; meterId: number }>(
        'SELECT m.account_id AS accountId, min(m.id) AS meterId FROM meters m WHERE m.removed_on IS NULL GROUP BY m.account_id HAVING count(*) = 1 LIMIT 500',
      )
      .all();
    // The floor: the same durability (WAL, synchronous=FULL), one single-row INSERT per transaction,
    // timed alternately with the submits so both see the same moments of this noisy machine.
    const floorDb = openDb(join(dir, 'floor.db'));
    const insert = floorDb.prepare("INSERT INTO sync_state (key, value) VALUES (?, 'x')");
    const floorMs: number[] = [];
    const submitMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const floorStarted = process.hrtime.bigint();
      insert.run(`k${i}`);
      floorMs.push(Number(process.hrtime.bigint() - floorStarted) / 1e6);
      const target = targets[i % targets.length]!;
      const list = await core.services.dispatch('readings.list', { accountId: target.accountId });
      if (!list.ok) throw new Error(JSON.stringify(list.error));
      const meter = (
        list.result as {
          meters: {
            meterId: number;
            previous: { litres: number } | null;
            current: { litres: number } | null;
            format: { intDigits: number; fracDigits: number };
          }[];
        }
      ).meters[0]!;
      const base = meter.current?.litres ?? meter.previous?.litres ?? 0;
      const value = formatReading(base + 10 * (1 + (i % 3)), meter.format);
      const reasons = {
        zero: 'customerConfirmed',
        low: 'customerConfirmed',
        high: 'guests',
        veryHigh: 'supervisorApproved',
      };
      const started = process.hrtime.bigint();
      const outcome = await core.services.dispatch('readings.submit', {
        accountId: target.accountId,
        entries: [{ meterId: meter.meterId, value, reasons }],
      });
      submitMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (!outcome.ok) throw new Error(`submit failed: ${JSON.stringify(outcome.error)}`);
    }
    core.close();
    // The same floor once more in a loop of its own (no other database writing in between): the
    // kinder figure, reported beside the alternate one rather than chosen between.
    const aloneMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = process.hrtime.bigint();
      insert.run(`alone${i}`);
      aloneMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    floorDb.close();
    const params = { samples, synchronous: 'FULL' };
    return [
      ...latencyResults('readings.submit', submitMs, params),
      ...latencyResults('floor.fsyncInsert', floorMs, { ...params, timing: 'alternating with the submits' }),
      ...latencyResults('floor.fsyncInsertAlone', aloneMs, { ...params, timing: 'a loop of its own after them' }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
