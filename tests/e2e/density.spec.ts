// Dense tables at 1366×768 (UX.md, issue #21): one line a row, at least 18 search results and 18
// audit entries on screen, headers in one line, «Всего записей: N» in one line, every audit entry in
// words (no operation codes), and no library placeholder («Ввести», «Please Input») in a field.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { api, expect, screenshot, test } from './shell';

/** The street of the demo city with the most accounts: typed alone it lists them house by house. */
function busiestStreet(dataDir: string): string {
  const db = new Database(join(dataDir, 'aquadesk.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[], string>(
        `SELECT s.name FROM streets s JOIN buildings b ON b.street_id = s.id JOIN premises p ON p.building_id = b.id JOIN accounts a ON a.premise_id = p.id
          WHERE s.name NOT LIKE '% %' GROUP BY s.id ORDER BY count(*) DESC LIMIT 1`,
      )
      .pluck()
      .get()!;
  } finally {
    db.close();
  }
}

/** The rows of a table wholly visible in its scrolled body and in the window, and their heights. */
async function visibleRows(table: Locator): Promise<{ visible: number; heights: number[] }> {
  return table.evaluate((el) => {
    const body = el.querySelector('.n-data-table-base-table-body') ?? el;
    const box = body.getBoundingClientRect();
    const bottom = Math.min(box.bottom, window.innerHeight);
    const rows = [...el.querySelectorAll('tbody tr.n-data-table-tr')].map((r) => r.getBoundingClientRect());
    return {
      visible: rows.filter((r) => r.top >= box.top - 1 && r.bottom <= bottom + 1).length,
      heights: rows.map((r) => r.height),
    };
  });
}

/** Every header cell is one line: its title no taller than a line of its text. */
async function headersInOneLine(table: Locator): Promise<string[]> {
  return table.evaluate((el) =>
    [...el.querySelectorAll('thead .n-data-table-th__title')]
      .filter((th) => {
        const style = getComputedStyle(th);
        return (
          th.getBoundingClientRect().height > parseFloat(style.lineHeight || '0') * 1.5 ||
          th.scrollWidth > th.clientWidth + 1
        );
      })
      .map((th) => th.textContent ?? ''),
  );
}

async function noStockPlaceholders(page: Page): Promise<void> {
  const stock = await page.evaluate(() =>
    [...document.querySelectorAll('input, textarea, .n-base-selection-placeholder')]
      .map((el) => (el as HTMLInputElement).placeholder ?? el.textContent)
      .filter((p) => /^(Ввести|Выбрать|Please Input|Please Select|Енгізіңіз|Таңдаңыз)$/.test((p ?? '').trim())),
  );
  expect(stock).toEqual([]);
}

test('search results: one line a row, at least 18 on a 1366×768 screen, numbers right-aligned', async ({
  page,
  shell,
}) => {
  const street = busiestStreet(shell.dataDir);
  await page.goto(shell.url);
  await page.getByTestId('global-search').fill(street);
  const results = page.getByTestId('search-results');
  await expect(results.locator('tbody tr.n-data-table-tr').nth(20)).toBeAttached();
  await expect(results.locator('.n-base-loading')).toHaveCount(0);
  const { visible, heights } = await visibleRows(results);
  expect(visible).toBeGreaterThanOrEqual(18);
  // One line a row: every row the same height (to a pixel), a line's worth (13 px text, 4 px cells).
  expect(Math.max(...heights)).toBeLessThanOrEqual(32);
  expect(Math.max(...heights) - Math.min(...heights)).toBeLessThanOrEqual(1);
  expect(await headersInOneLine(results)).toEqual([]);
  const balance = results.locator('tbody tr.n-data-table-tr').first().locator('td').nth(4);
  expect(await balance.evaluate((td) => getComputedStyle(td).textAlign)).toBe('right');
  await noStockPlaceholders(page);
  await screenshot(page, 'density-search-ru');
});

test('the audit as a supervisor: 18 entries or more on screen in words, «Всего записей» on one line', async ({
  page,
  shell,
}) => {
  // Entries of its own to show: IINs looked at (each one is recorded), and a settings change.
  const account = (
    await api<{ hits: { accountId: number }[] }>(shell, 'lookup.search', {
      text: busiestStreet(shell.dataDir),
      limit: 30,
    })
  ).result!.hits;
  for (const hit of account.slice(0, 24)) await api(shell, 'accounts.revealIin', { accountId: hit.accountId });
  await page.goto(`${shell.url}#/audit`);
  const table = page.getByTestId('audit-table');
  await expect(table.locator('tbody tr.n-data-table-tr').nth(19)).toBeAttached();
  await expect(table.locator('.n-base-loading')).toHaveCount(0);
  const { visible, heights } = await visibleRows(table);
  expect(visible).toBeGreaterThanOrEqual(18);
  expect(Math.max(...heights)).toBeLessThanOrEqual(32);
  expect(Math.max(...heights) - Math.min(...heights)).toBeLessThanOrEqual(1);
  expect(await headersInOneLine(table)).toEqual([]);

  const total = page.getByTestId('audit-total');
  await expect(total).toHaveText(/^Всего записей: \d+$/);
  // One line: the text's boxes (one per font run) all on the same line, none a line below another.
  const spread = await total.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = [...range.getClientRects()].map((r) => r.top);
    return Math.max(...tops) - Math.min(...tops);
  });
  expect(spread).toBeLessThan(8);

  // Words, not codes: no operation shown as `area.verb`.
  const operations = await table.locator('tbody tr.n-data-table-tr td:nth-child(4)').allInnerTexts();
  expect(operations.filter((o) => /^[a-z]+\.[A-Za-z]+$/.test(o.trim()))).toEqual([]);
  expect(operations).toContain('Просмотр ИИН / БИН');
  await noStockPlaceholders(page);
  await screenshot(page, 'density-audit-ru');
});
