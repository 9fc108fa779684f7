// Runs every end-to-end test alone, one Playwright run per test, to prove that none needs another
// one's data, session or settings (docs/architecture.md, "Tests and CI"). Lists the tests with
// `playwright test --list`, then runs each as `playwright test FILE -g "^…TITLE$"` and prints a table
// (file:line, result, seconds, title); exits 1 when one of them failed alone. Build first
// (`npx electron-vite build --logLevel warn`). Arguments are passed to --list, e.g. a spec file:
//   node scripts/e2e-alone.mjs [tests/e2e/signin.spec.ts ...]
// Each run's output goes to test-results/alone/NN.log.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const shell = process.platform === 'win32';
const dir = join('test-results', 'alone');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

function playwright(args, jsonFile) {
  return spawnSync('npx', ['playwright', 'test', ...args], {
    shell,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile },
  });
}

/** Every test of a JSON report: file, line, title path below the file, and its result. */
function testsOf(report) {
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const results = t.results ?? [];
        out.push({ file: spec.file, line: spec.line, titles: [...titles, spec.title], status: t.status, results });
      }
    }
    for (const child of suite.suites ?? []) walk(child, child.file === child.title ? titles : [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  return out;
}

const listFile = join(dir, 'list.json');
const listed = playwright(['--list', '--reporter=json', ...process.argv.slice(2)], listFile);
if (listed.status !== 0 || !existsSync(listFile)) {
  process.stderr.write(`playwright test --list failed:\n${listed.stdout}${listed.stderr}`);
  process.exit(1);
}
const tests = testsOf(JSON.parse(readFileSync(listFile, 'utf8')));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
process.stdout.write(`${tests.length} tests, each run alone\n\n`);

const rows = [];
const started = Date.now();
for (const [i, test] of tests.entries()) {
  const n = String(i + 1).padStart(2, '0');
  const jsonFile = join(dir, `${n}.json`);
  // -g matches "file title…"; the whole title, anchored at its end, picks this test and no other.
  const grep = `${escape(test.titles.join(' '))}$`;
  const t0 = Date.now();
  const run = playwright([join('tests', 'e2e', test.file), '-g', grep, '--reporter=list,json'], jsonFile);
  const seconds = (Date.now() - t0) / 1000;
  writeFileSync(join(dir, `${n}.log`), `${run.stdout}${run.stderr}`);
  let result = run.status === 0 ? 'passed' : 'failed';
  let note = '';
  if (existsSync(jsonFile)) {
    const ran = testsOf(JSON.parse(readFileSync(jsonFile, 'utf8')));
    const statuses = ran.map((r) => r.status);
    if (ran.length !== 1) {
      result = 'failed';
      note = ` (matched ${ran.length} tests)`;
    } else if (statuses[0] === 'skipped') result = 'skipped';
    else if (statuses[0] !== 'expected') result = 'failed';
    const reason = ran[0]?.results?.flatMap((r) => r.annotations ?? []).find((a) => a.type === 'skip')?.description;
    if (result === 'skipped' && reason) note = ` (${reason})`;
  } else result = 'failed';
  rows.push({ n, where: `${test.file}:${test.line}`, result, seconds, title: test.titles.join(' › ') + note });
  process.stdout.write(
    `${n} ${result.padEnd(7)} ${seconds.toFixed(1).padStart(6)} s  ${test.file}:${test.line} › ${test.titles.join(' › ')}${note}\n`,
  );
}

const total = (Date.now() - started) / 1000;
const count = (what) => rows.filter((r) => r.result === what).length;
process.stdout.write(`\n| # | test | alone | s |\n|---|---|---|---|\n`);
for (const r of rows)
  process.stdout.write(
    `| ${r.n} | ${r.where} › ${r.title.replace(/\|/g, '\\|')} | ${r.result} | ${r.seconds.toFixed(1)} |\n`,
  );
process.stdout.write(
  `\nalone: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped in ${(total / 60).toFixed(1)} min (logs in ${dir})\n`,
);
process.exit(count('failed') > 0 ? 1 : 0);
