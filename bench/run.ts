// `npm run bench -- <suite> [--json FILE] [suite options]`: runs one benchmark suite (bench/<suite>.ts,
// which exports `run(args: string[]): Promise<BenchResult[]>`), prints its table, writes JSON.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printTable, writeJson, type BenchResult } from './report';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const suite = args.shift();
  const jsonAt = args.indexOf('--json');
  let jsonFile: string | undefined;
  if (jsonAt >= 0) {
    jsonFile = args[jsonAt + 1];
    if (!jsonFile) throw new Error('--json needs a file name');
    args.splice(jsonAt, 2);
  }
  const file = resolve(import.meta.dirname, `${suite ?? ''}.ts`);
  if (!suite || !/^[a-z][a-z0-9-]*$/.test(suite) || !existsSync(file) || ['run', 'report'].includes(suite)) {
    process.stderr.write(
      `Usage: npm run bench -- <suite> [--json FILE] [options]\nUnknown suite: ${suite ?? '(none)'}\n`,
    );
    process.exit(2);
  }
  const module = (await import(pathToFileURL(file).href)) as { run(args: string[]): Promise<BenchResult[]> };
  const results = await module.run(args);
  printTable(results);
  if (jsonFile) writeJson(jsonFile, results);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
