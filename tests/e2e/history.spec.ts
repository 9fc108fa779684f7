// The account's «История» tab in the web shell: reached by Alt+6, its chart draws exactly what the
// readings table says (each meter's month counted from the one before, summed), its tables give the
// months and the payments with receipt numbers, it scrolls by keyboard and fits 1366×768 without
// sideways scrolling in Russian, Kazakh and English.
import type { Page } from '@playwright/test';
import { addMonths, almatyDate, periodOf } from '../../src-shared/domain/period';
import { consumptionOf, type ReadingKind } from '../../src-shared/readings/checks';
import { formatCubicMetres } from '../../src-shared/readings/format';
import { api, expect, screenshot, test, type Shell, readDesk } from './shell';

test.afterEach(async ({ shell }) => {
  const reset = await api(shell, 'settings.set', { language: 'ru' });
  expect(reset.ok, JSON.stringify(reset.error)).toBe(true);
});

interface Target {
  id: number;
  /** the sum of the meters' consumption per month, oldest first, from the readings table (null: none) */
  consumption: (number | null)[];
  newestPayment: { id: number; amount: number } | null;
  periods: string[];
}

/** An account with two meters read from several sources, and what its 24 months must show, from SQL alone. */
function target(shell: Shell): Target {
  return readDesk(shell, (db) => {
    const current = periodOf(almatyDate(new Date()));
    const periods = Array.from({ length: 24 }, (_, i) => addMonths(current, i - 23));
    const id = db
      .prepare<[], number>(
        `SELECT a.id FROM accounts a WHERE a.closed_on IS NULL
            AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id) = 2
            AND (SELECT count(DISTINCT r.source) FROM readings r JOIN meters m ON m.id = r.meter_id WHERE m.account_id = a.id) >= 3
            AND EXISTS (SELECT 1 FROM payments p WHERE p.account_id = a.id)
            -- none of this desk's readings waiting (another test's): the chart would draw them, the readings table has them not yet
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.account_id = a.id AND o.name = 'readings.submit' AND o.state <> 'applied')
          ORDER BY a.id LIMIT 1`,
      )
      .pluck()
      .get()!;
    const meters = db
      .prepare<[number], { id: number; int_digits: number; frac_digits: number; install_litres: number }>(
        'SELECT id, int_digits, frac_digits, install_litres FROM meters WHERE account_id = ?',
      )
      .all(id);
    const reading = db.prepare<[number, string], { value_litres: number; kind: ReadingKind }>(
      "SELECT value_litres, kind FROM readings WHERE meter_id = ? AND period = ? AND superseded_by IS NULL AND status = 'accepted' ORDER BY read_on DESC, id DESC LIMIT 1",
    );
    const before = db.prepare<[number, string], { value_litres: number }>(
      "SELECT value_litres FROM readings WHERE meter_id = ? AND period < ? AND superseded_by IS NULL AND status = 'accepted' ORDER BY period DESC, read_on DESC, id DESC LIMIT 1",
    );
    const consumption = periods.map((period) => {
      const used = meters
        .map((m) => {
          const now = reading.get(m.id, period);
          return now
            ? consumptionOf(
                before.get(m.id, period)?.value_litres ?? null,
                now.value_litres,
                now.kind,
                { intDigits: m.int_digits, fracDigits: m.frac_digits },
                m.install_litres,
              )
            : null;
        })
        .filter((c): c is number => c !== null);
      return used.length ? used.reduce((a, b) => a + b, 0) : null;
    });
    const payment =
      db
        .prepare<[number], { id: number; amount: number }>(
          'SELECT id, amount_tiyn AS amount FROM payments WHERE account_id = ? ORDER BY paid_on DESC, id DESC LIMIT 1',
        )
        .get(id) ?? null;
    return { id, consumption, newestPayment: payment, periods };
  });
}

/** Nothing on the page is wider than the window, the tables fit their boxes, and the tab ends above the keys line (1366×768). */
async function expectFits(page: Page) {
  const widths = await page.evaluate(() => {
    const tab = document.querySelector('[data-test="history-tab"]') as HTMLElement;
    const boxes = [...tab.querySelectorAll<HTMLElement>('.box')].map((box) => ({
      box: box.clientWidth,
      table: Math.max(0, ...[...box.querySelectorAll('table')].map((t) => t.scrollWidth)),
    }));
    const keys = document.querySelector('[data-test="keys"]')!.getBoundingClientRect().top;
    return {
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
      tab: tab.scrollWidth,
      tabBox: tab.clientWidth,
      boxes,
      bottom: tab.getBoundingClientRect().bottom,
      keys,
    };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.window);
  expect(widths.tab).toBeLessThanOrEqual(widths.tabBox);
  for (const b of widths.boxes) expect(b.table).toBeLessThanOrEqual(b.box);
  expect(widths.bottom).toBeLessThanOrEqual(widths.keys);
}

test('Alt+6 opens the history: the chart draws the readings table, the months and payments are listed, by keyboard', async ({
  page,
  shell,
}) => {
  const account = target(shell);
  await page.goto(`${shell.url}#/account/${account.id}`);
  await expect(page.getByTestId('account-strip')).toBeVisible();
  await page.keyboard.press('Alt+6');
  const chart = page.getByTestId('history-chart');
  await expect(chart).toBeVisible();
  await expect(page).toHaveURL(/tab=history/);

  // What the chart draws is the readings table's consumption, month by month.
  const drawn = JSON.parse((await chart.getAttribute('data-drawn'))!) as {
    consumption: (number | null)[];
    expected: (number | null)[];
    norm: (number | null)[];
  };
  expect(drawn.consumption).toEqual(account.consumption);
  expect(drawn.expected).toHaveLength(24);
  expect(drawn.norm.every((n) => n !== null && n > 0)).toBe(true);
  // Its bars and axis are on the page (SVG): 24 months labelled, the legend names both meters and both lines.
  await expect(chart.locator('svg')).toBeVisible();
  await expect(chart).toHaveAttribute('aria-label', /График расхода воды за 24 месяцев: всего [\d,]+ м³/);
  await expect(chart.locator('svg text', { hasText: 'Ожидаемый расход' })).toHaveCount(1);
  await expect(chart.locator('svg text', { hasText: 'Норматив × проживающие' })).toHaveCount(1);
  await expect(chart.locator('svg text', { hasText: /^№ / })).toHaveCount(2);

  // The months table says the same numbers (newest first), and the newest payment with its receipt number.
  const last = account.periods.length - 2; // the last complete month
  const row = page.getByTestId(`history-month-${account.periods[last]}`);
  await expect(row).toContainText(
    account.consumption[last] === null ? '—' : formatCubicMetres(account.consumption[last]!),
  );
  const payments = page.getByTestId('history-payments');
  await expect(payments.locator('tbody tr').first()).toContainText(String(account.newestPayment!.id));
  await expectFits(page);

  // A tooltip names each meter's month and its source.
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6);
  await expect(page.locator('.history-tab').getByText(/Ожидаемый расход: /)).toBeVisible();
  await screenshot(page, 'history-ru');
  await page.mouse.move(0, 0);

  // By keyboard: the months table's body takes the focus (Tab) and scrolls; the meter switch shows one meter.
  const months = page.getByTestId('history-months').getByTestId('history-scroll');
  await expect(months).toHaveAttribute('tabindex', '0');
  await months.focus();
  const newest = page.getByTestId(`history-month-${account.periods.at(-1)}`);
  const oldest = page.getByTestId(`history-month-${account.periods[0]}`);
  await expect(oldest).not.toBeInViewport();
  await page.keyboard.press('End');
  await expect(oldest).toBeInViewport();
  await expect(newest).not.toBeInViewport();
  await page.getByTestId('history-meter').getByText(/^№ /).first().click();
  const one = JSON.parse((await chart.getAttribute('data-drawn'))!) as { consumption: (number | null)[] };
  expect(one.consumption).not.toEqual(account.consumption);
  await expect(chart.locator('svg text', { hasText: /^№ / })).toHaveCount(1);
  await screenshot(page, 'history-meter-ru');
});

for (const [language, title, tab] of [
  ['kk', 'Шығын, м³', 'Тарих'],
  ['en', 'Consumption, m³', 'History'],
] as const) {
  test(`the history reads in ${language} and fits 1366×768`, async ({ page, shell }) => {
    const account = target(shell);
    const set = await api(shell, 'settings.set', { language });
    expect(set.ok).toBe(true);
    await page.goto(`${shell.url}#/account/${account.id}?tab=history`);
    await expect(page.getByText(`${tab} (Alt+6)`, { exact: true })).toBeVisible();
    await expect(page.getByTestId('history-tab')).toContainText(title);
    await expect(page.getByTestId('history-chart').locator('svg')).toBeVisible();
    await expectFits(page);
    await screenshot(page, `history-${language}`);
  });
}

test('an account without meters draws the volume charged by norm, and says so', async ({ page, shell }) => {
  const { id, billed } = readDesk(shell, (db) => {
    const id = db
      .prepare<[], number>(
        'SELECT a.id FROM accounts a WHERE a.closed_on IS NULL AND NOT EXISTS (SELECT 1 FROM meters m WHERE m.account_id = a.id) ORDER BY a.id LIMIT 1',
      )
      .pluck()
      .get()!;
    const billed = db
      .prepare<[number], number>(
        "SELECT sum(volume_litres) FROM charges WHERE account_id = ? AND service = 'water' GROUP BY period ORDER BY period DESC LIMIT 1",
      )
      .pluck()
      .get(id)!;
    return { id, billed };
  });
  await page.goto(`${shell.url}#/account/${id}?tab=history`);
  await expect(page.getByTestId('history-tab')).toContainText('Счётчиков нет: начисление по нормативу');
  await expect(
    page.getByTestId('history-chart').locator('svg text', { hasText: 'Начислено по нормативу' }),
  ).toHaveCount(1);
  await expect(page.getByTestId('history-months').locator('tbody tr').nth(1)).toContainText(formatCubicMetres(billed));
  await expect(page.getByTestId('history-months').locator('tbody tr').nth(1).locator('i')).toHaveAttribute(
    'title',
    'по нормативу',
  );
  await expect(page.getByTestId('history-sources')).toHaveCount(0);
  await expectFits(page);
  await screenshot(page, 'history-norm-ru');
});
