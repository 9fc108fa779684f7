// The charges breakdown and the reconciliation in the web shell: open, switch period, download PDFs.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pdfText } from '../helpers/pdf';
import { expect, test, type Shell, screenshot } from './shell';

function meteredAccount(shell: Shell): { id: number; number: string; surname: string } {
  const db = new Database(join(shell.dataDir, 'aquadesk.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT a.id, a.number, o.surname FROM accounts a JOIN owners o ON o.id = a.owner_id
          WHERE a.kind = 'individual' AND o.language = 'ru' AND o.email IS NOT NULL AND a.closed_on IS NULL
            AND EXISTS (SELECT 1 FROM charges c WHERE c.account_id = a.id AND c.basis = 'meter') ORDER BY a.id LIMIT 1`,
      )
      .get() as { id: number; number: string; surname: string };
  } finally {
    db.close();
  }
}

const previousPeriod = (monthsBack: number) => {
  const now = new Date(Date.now() + 5 * 3600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

test('breakdown: the previous month by default, PageUp to the month before, download the PDF', async ({ page, shell }) => {
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}`);
  await page.getByTestId('walk-in-breakdown').click();
  const table = page.getByTestId('breakdown-table');
  await expect(table).toContainText('Водоснабжение');
  await expect(table).toContainText('Водоотведение');
  const month = page.getByTestId('breakdown-month').locator('input');
  const last = previousPeriod(1);
  await expect(month).toHaveValue(`${last.slice(5)}.${last.slice(0, 4)}`);
  await screenshot(page, 'breakdown-ru');

  await page.keyboard.press('PageUp');
  const before = previousPeriod(2);
  await expect(month).toHaveValue(`${before.slice(5)}.${before.slice(0, 4)}`);
  await expect(page.getByTestId('to-pay')).toContainText('₸');

  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const file = await download;
  expect(file.suggestedFilename()).toBe(`Расшифровка_${account.number}_${before}.pdf`);
  const text = pdfText(readFileSync(await file.path()));
  expect(text).toContain(account.surname);
  expect(text).toContain('Итого к оплате');

  // A month that has not begun is explained, not printed.
  for (const back of [1, 0, -1]) {
    await page.keyboard.press('PageDown');
    const p = previousPeriod(back);
    await expect(month).toHaveValue(`${p.slice(5)}.${p.slice(0, 4)}`);
  }
  await expect(page.getByTestId('breakdown-problem')).toContainText('ещё не начался');
});

test('breakdown by email is queued to the owner; subscription toggles and shows it is pending', async ({ page, shell }) => {
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=breakdown`);
  await expect(page.getByTestId('breakdown-table')).toBeVisible();
  await page.keyboard.press('Control+e');
  const to = page.getByTestId('email-to');
  await expect(to).not.toHaveValue('');
  await to.fill('not an email');
  await to.press('Enter');
  await expect(page.getByTestId('email-dialog')).toContainText('Неверный формат');
  await to.fill('walk-in@example.kz');
  await to.press('Enter');
  await expect(page.getByText('Письмо поставлено в очередь: walk-in@example.kz')).toBeVisible();

  const subscription = page.getByTestId('subscription');
  const wasSubscribed = (await subscription.textContent())!.includes('Подписан на');
  await page.getByTestId('subscription-toggle').click();
  await expect(subscription).toContainText(wasSubscribed ? 'Не подписан' : 'Подписан на');
  await expect(subscription).toContainText('ожидает отправки');
});

test('reconciliation: running balance for a range, PDF download', async ({ page, shell }) => {
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=reconciliation`);
  await expect(page.getByTestId('reconciliation-closing')).toContainText('₸');
  const download = page.waitForEvent('download');
  await page.getByTestId('save-reconciliation').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^Сверка_${account.number}_\\d{4}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
  expect(pdfText(readFileSync(await file.path()))).toContain('Сверка взаиморасчётов');
});
