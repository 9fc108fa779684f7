// `npm run bench -- batch [--rows N] [--accounts N]`: the office's month in bulk. Here: a meter-reading
// round's CSV of 10 000 rows (#20.5) — rows/s checked by readings.importCheck (every check of a reading
// on every row, through the dispatcher as a window calls it) and rows/s saved by readings.importApply
// (checked again, then every row an outbox change plus the audit trail, in one transaction), with the
// floors of the same run: csv-parse reading the same text alone, and the same number of bare outbox
// INSERTs in one transaction; the process's memory peak. Then the district PDF of #20.4
// (bench/batch-pdf.ts): pages/s of a 1 000-customer batch against the same breakdowns one by one, and
// the memory peak of a 5 000-page batch.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { databaseFileIn, openCore } from '../src-main/core';
import { generateDemoDatabase } from '../src-main/demo/generate';
import { formatReading } from '../src-shared/readings/format';
import type { RoundApply, RoundCheck } from '../src-shared/schemas/round';
import type { BenchResult } from './report';
import { benchDistrictPdf } from './batch-pdf';

const arg = (args: string[], name: string, fallback: number) => Number(args[args.indexOf(name) + 1] ?? 0) || fallback;

/** The largest resident set seen while `work` runs (sampled every 10 ms), in MB. */
async function peakOf<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

export async function run(args: string[]): Promise<BenchResult[]> {
  return [...(await benchRound(args)), ...(await benchDistrictPdf(args))];
}

async function benchRound(args: string[]): Promise<BenchResult[]> {
  const rows = arg(args, '--rows', 10_000);
  const accounts = arg(args, '--accounts', Math.ceil(rows * 0.7));
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-batch-'));
  try {
    const today = new Date('2026-11-20T06:00:00Z');
    const city = join(dir, 'city.db');
    await generateDemoDatabase({ file: city, accounts, months: 13, seed: 7, today });
    copyFileSync(city, databaseFileIn(dir));
    const core = openCore({ dataDir: dir, shell: 'web', now: () => today });
    const caller = { operatorId: 6, role: 'supervisor' as const };
    try {
      // The controllers' file: every active meter of open accounts, the previous reading plus last month's use.
      const meters = core.db
        .prepare<
          [number],
          {
            number: string;
            serial: string;
            int_digits: number;
            frac_digits: number;
            last: number | null;
            used: number | null;
          }
        >(
          `SELECT a.number, m.serial, m.int_digits, m.frac_digits,
                  (SELECT r.value_litres FROM readings r WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1) AS last,
                  (SELECT r.value_litres FROM readings r WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1)
                    - (SELECT r.value_litres FROM readings r WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1 OFFSET 1) AS used
             FROM meters m JOIN accounts a ON a.id = m.account_id WHERE m.removed_on IS NULL AND a.closed_on IS NULL ORDER BY m.id LIMIT ?`,
        )
        .all(rows);
      if (meters.length < rows) throw new Error(`only ${meters.length} meters for ${rows} rows: raise --accounts`);
      const lines = meters.map((m) => {
        const format = { intDigits: m.int_digits, fracDigits: m.frac_digits };
        const step = 10 ** (3 - format.fracDigits);
        const value =
          ((m.last ?? 0) + Math.max(step, Math.round(Math.abs(m.used ?? 3000) / step) * step)) %
          10 ** (format.intDigits + 3);
        return `${m.number};${m.serial};${formatReading(value, format)};18.11.2026`;
      });
      const csv = `\uFEFFЛицевой счёт;Заводской номер;Показание;Дата\r\n${lines.join('\r\n')}\r\n`;
      const input = { fileName: 'round.csv', csv };

      // Floor 1: csv-parse alone on the same text, as the check reads it.
      const parseMs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        parse(csv, {
          delimiter: ';',
          bom: true,
          relax_column_count: true,
          skip_empty_lines: true,
          trim: true,
          info: true,
        });
        parseMs.push(performance.now() - started);
      }
      // The check, three times (nothing is saved by it).
      const checkMs: number[] = [];
      let check: RoundCheck | null = null;
      const checked = await peakOf(async () => {
        for (let i = 0; i < 3; i++) {
          const started = performance.now();
          const outcome = await core.services.dispatch('readings.importCheck', input, caller);
          checkMs.push(performance.now() - started);
          if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
          check = outcome.result as RoundCheck;
        }
      });
      // The apply, once (the file then has nothing left to save).
      const applyStarted = performance.now();
      const applied = await peakOf(async () => {
        const outcome = await core.services.dispatch(
          'readings.importApply',
          { ...input, digest: check!.digest },
          caller,
        );
        if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
        return outcome.result as RoundApply;
      });
      const applyMs = performance.now() - applyStarted;
      // Floor 2: as many bare outbox rows, in one transaction of the same database.
      const insert = core.db.prepare(
        "INSERT INTO outbox (client_id, name, args, account_id, operator_id, created_at, state) VALUES ('bench', 'bench', '{}', NULL, NULL, '2026-11-20', 'dismissed')",
      );
      const floorStarted = performance.now();
      core.db.transaction(() => {
        for (let i = 0; i < applied.result.saved; i++) insert.run();
      })();
      const floorMs = performance.now() - floorStarted;
      core.db.prepare("DELETE FROM outbox WHERE client_id = 'bench'").run();

      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const params = { rows, accounts, accepted: check!.acceptedCount, refused: check!.refused.length };
      const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
      return [
        {
          name: 'round.check',
          metric: 'rowsPerSecond',
          value: perSecond(rows, median(checkMs)),
          params: { ...params, medianMs: Math.round(median(checkMs)) },
        },
        { name: 'round.check', metric: 'ms', value: Math.round(median(checkMs)), params: { ...params, goalMs: 5000 } },
        {
          name: 'round.check.floor.csvParse',
          metric: 'rowsPerSecond',
          value: perSecond(rows, median(parseMs)),
          params: { rows, medianMs: Math.round(median(parseMs)) },
        },
        {
          name: 'round.apply',
          metric: 'rowsPerSecond',
          value: perSecond(applied.result.saved, applyMs),
          params: { ...params, saved: applied.result.saved, ms: Math.round(applyMs), includes: 'a second check' },
        },
        {
          name: 'round.apply.floor.outboxInserts',
          metric: 'rowsPerSecond',
          value: perSecond(applied.result.saved, floorMs),
          params: { rows: applied.result.saved, ms: Math.round(floorMs) },
        },
        {
          name: 'round',
          metric: 'peakRssMb',
          value: Math.max(checked.peakMb, applied.peakMb),
          params: { checkPeakMb: checked.peakMb, applyPeakMb: applied.peakMb },
        },
      ];
    } finally {
      core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
