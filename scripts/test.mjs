// `npm test`: builds the app, runs Vitest (unit + integration) and Playwright (end-to-end in
// Chromium through the web shell, plus the Electron smoke test where Electron's binary exists),
// then prints one closing line "tests: N passed, N failed, N skipped", after the skipped tests per file
// with their reasons (the "[skipped] …" lines the test files print, Playwright's test.skip reasons).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  process.stderr.write(`No Chromium found at ${chromium}. The end-to-end tests need one:
  on Debian/Ubuntu run \`sudo apt-get update && sudo apt-get install -y chromium\`,
  or point CHROMIUM_PATH at an installed Chromium or Chrome binary. (Do not use
  \`npx playwright install\`: it downloads a browser from outside the npm registry.)\n`);
  process.exit(1);
}

const shell = process.platform === 'win32';
const reports = join('test-results', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

/** What a run printed, without colours: its "[skipped] …" lines are the reasons of its skipped tests. */
let printed = '';
function run(title, command, args, env = {}) {
  process.stdout.write(`\n=== ${title} ===\n`);
  printed = '';
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['inherit', 'pipe', 'pipe'],
      shell,
      env: { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}), ...env },
    });
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      from.on('data', (chunk) => {
        to.write(chunk);
        printed += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      });
    }
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Skipped tests per file, and why: file → { count, reasons }. */
const skipped = new Map();
function skip(file, count, reasons) {
  const entry = skipped.get(file) ?? { count: 0, reasons: new Set() };
  entry.count += count;
  for (const reason of reasons) if (reason) entry.reasons.add(reason);
  skipped.set(file, entry);
}
/** Vitest prints a file's console output under "stdout | FILE": the "[skipped] …" lines found there, per file. */
function skipLinesByFile(text) {
  const byFile = new Map();
  let file = null;
  for (const line of text.split(/\r?\n/)) {
    const header = /^(?:stdout|stderr) \| (\S+)/.exec(line);
    if (header) file = header[1];
    const said = /^\s*\[skipped\] (.+)$/.exec(line);
    if (said) byFile.set(file, [...(byFile.get(file) ?? []), said[1].trim()]);
  }
  return byFile;
}

const only = process.argv[2]; // 'unit' | 'e2e' | undefined (both)
let status = await run('build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']);
if (status !== 0) process.exit(status);

const counts = { passed: 0, failed: 0, skipped: 0 };
if (only !== 'e2e') {
  const file = join(reports, 'vitest.json');
  status |= await run('unit and integration tests (Vitest)', 'npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${file}`,
  ]);
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    counts.passed += r.numPassedTests ?? 0;
    counts.failed += r.numFailedTests ?? 0;
    counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    const said = skipLinesByFile(printed);
    for (const result of r.testResults ?? []) {
      const name = relative(process.cwd(), result.name).replaceAll('\\', '/');
      const n = (result.assertionResults ?? []).filter((a) => ['skipped', 'pending', 'todo'].includes(a.status)).length;
      if (n > 0) skip(name, n, said.get(name) ?? []);
    }
  } else counts.failed += 1;
}
if (only !== 'unit') {
  const file = join(reports, 'playwright.json');
  status |= await run('end-to-end tests (Playwright, Chromium)', 'npx', ['playwright', 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: file,
  });
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const s = report.stats ?? {};
    counts.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    counts.failed += s.unexpected ?? 0;
    counts.skipped += s.skipped ?? 0;
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          if (t.status !== 'skipped') continue;
          const annotations = [...(t.annotations ?? []), ...(t.results ?? []).flatMap((r) => r.annotations ?? [])];
          skip(
            `tests/e2e/${spec.file}`,
            1,
            annotations.filter((a) => a.type === 'skip' || a.type === 'fixme').map((a) => a.description),
          );
        }
      }
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of report.suites ?? []) walk(suite);
  } else counts.failed += 1;
}
if (skipped.size > 0) {
  process.stdout.write(`\nskipped, and why:\n`);
  for (const [file, { count, reasons }] of skipped) {
    process.stdout.write(
      `  ${file}: ${count} skipped — ${reasons.size > 0 ? [...reasons].join('; ') : 'no reason given'}\n`,
    );
  }
}
process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(status !== 0 || counts.failed > 0 ? 1 : 0);
