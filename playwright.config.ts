// End-to-end tests of the web shell in Debian's Chromium (never a downloaded browser), plus the one
// Electron smoke test. scripts/test.mjs reads the JSON report for its summary line.
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

// The web shells (and their central services) the tests start hash passwords at the tests' cost.
process.env['AQUADESK_PASSWORD_COST'] ??= 'test';

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'] ?? 'test-results/playwright.json' }],
  ],
  outputDir: 'test-results/e2e',
  use: {
    viewport: { width: 1366, height: 768 },
    testIdAttribute: 'data-test',
    locale: 'ru-RU',
    timezoneId: 'Asia/Almaty',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
