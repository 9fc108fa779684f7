// Benchmark results: a table on stdout and, with --json FILE, `{ results: [{ name, metric, value, params }] }`.
import { writeFileSync } from 'node:fs';

export interface BenchResult {
  name: string;
  metric: string;
  value: number;
  params: Record<string, string | number | boolean>;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

/** p50/p95/p99 of a list of timings in ms, as results named `${name}.p50Ms` etc. */
export function latencyResults(name: string, timingsMs: number[], params: BenchResult['params']): BenchResult[] {
  const sorted = [...timingsMs].sort((a, b) => a - b);
  return (['p50', 'p95', 'p99'] as const).map((p) => ({
    name,
    metric: `${p}Ms`,
    value: Number(percentile(sorted, Number(p.slice(1))).toFixed(4)),
    params: { ...params, samples: timingsMs.length },
  }));
}

export function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [`${r.name}.${r.metric}`, String(r.value), JSON.stringify(r.params)]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((row) => row[i]!.length), ['figure', 'value', 'params'][i]!.length),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${line(['figure', 'value', 'params'])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

export function writeJson(file: string, results: BenchResult[]): void {
  writeFileSync(file, `${JSON.stringify({ results }, null, 2)}\n`);
}
