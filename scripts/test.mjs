// `npm test`: builds the app, runs Vitest (unit + integration) and Playwright (end-to-end in
// Chromium through the web shell, plus the Electron smoke test where Electron's binary exists),
// then prints one closing line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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

function run(title, command, args, env = {}) {
  process.stdout.write(`\n=== ${title} ===\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell, env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const only = process.argv[2]; // 'unit' | 'e2e' | undefined (both)
let status = run('build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']);
if (status !== 0) process.exit(status);

const counts = { passed: 0, failed: 0, skipped: 0 };
if (only !== 'e2e') {
  const file = join(reports, 'vitest.json');
  status |= run('unit and integration tests (Vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${file}`]);
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    counts.passed += r.numPassedTests ?? 0;
    counts.failed += r.numFailedTests ?? 0;
    counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  } else counts.failed += 1;
}
if (only !== 'unit') {
  const file = join(reports, 'playwright.json');
  status |= run('end-to-end tests (Playwright, Chromium)', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  if (existsSync(file)) {
    const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
    counts.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    counts.failed += s.unexpected ?? 0;
    counts.skipped += s.skipped ?? 0;
  } else counts.failed += 1;
}
process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(status !== 0 || counts.failed > 0 ? 1 : 0);
