// «Должники» in the web shell: a supervisor filters the debt list (a minimum that is not a sum is
// refused in words), picks customers with the keyboard, prints their breakdowns as one PDF (the
// worker's progress, then the file saved: a page naming each picked account), and cancels a batch of
// every debtor while it runs, which leaves no file behind; the picked get their notices by email once.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DebtsList } from '../../src-shared/schemas/debts';
import { api, expect, screenshot, signInByApi, test } from './shell';

test('the debt list: filter, pick, one PDF of the picked, and a cancelled batch', async ({ page, shell }) => {
  await page.goto(`${shell.url}#/debts`);
  await expect(page.getByRole('heading', { name: 'Должники' })).toBeVisible();
  const totals = page.getByTestId('debts-totals');
  const all = (await api<DebtsList>(shell, 'debts.list', { limit: 1 })).result!;
  await expect(totals).toContainText(`Должников: ${all.totals.count.toLocaleString('ru-RU')}`);

  const minDebt = page.getByTestId('debts-min-debt').locator('input');
  await minDebt.fill('десять тысяч');
  await minDebt.press('Enter');
  await expect(page.getByText('Сумма долга — число в тенге, например, 10 000,00')).toBeVisible();
  await minDebt.fill('20 000,00');
  await minDebt.press('Enter');
  const big = (await api<DebtsList>(shell, 'debts.list', { minDebt: '20 000,00' })).result!;
  await expect(totals).toContainText(`Должников: ${big.totals.count.toLocaleString('ru-RU')}`);
  await expect(page.getByText('Сумма долга — число в тенге')).toHaveCount(0);

  // The keyboard: the first row by a click, then ↓ and Space pick the second and third.
  const rows = page.getByTestId('debts-table').locator('tbody tr');
  await rows.first().locator('td').nth(1).click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('debts-selected')).toContainText('Выбрано: 2');
  await expect(page.getByTestId('debts-scope')).toHaveText('выбранным: 2');
  const picked = [big.rows[1]!.number, big.rows[2]!.number];

  await page.keyboard.press('Control+p');
  await expect(page.getByTestId('debts-done')).toContainText('Готово: 2 абонентов');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const file = await (await download).path();
  expect((await download).suggestedFilename()).toMatch(/^Расшифровка_\d{4}-\d{2}-\d{2}_2\.pdf$/);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const documents = text.split(/Стр\. 1 из \d+/).filter((d) => d.includes('Лицевой счёт'));
  expect(documents.map((d) => /Лицевой счёт:\s+(\d+)/.exec(d)![1])).toEqual(picked);

  // The same two by email (Ctrl+M): queued once; the second time nothing more, and who has no email is named.
  const withEmail = [big.rows[1]!, big.rows[2]!].filter((r) => r.email).length;
  await page.keyboard.press('Control+m');
  const result = page.getByTestId('debts-mail-result');
  await expect(result).toContainText(
    `Поставлено в очередь писем: ${withEmail}; уже были отправлены: 0; без email: ${2 - withEmail}`,
  );
  for (const row of [big.rows[1]!, big.rows[2]!].filter((r) => !r.email))
    await expect(page.getByTestId('debts-no-email')).toContainText(row.number);
  await page.keyboard.press('Control+m');
  await expect(result).toContainText(`Поставлено в очередь писем: 0; уже были отправлены: ${withEmail}`);

  // Everyone (Ctrl+A picks all, again none), any debt: a batch of every debtor, cancelled while it runs.
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('debts-selected')).toHaveCount(0);
  await minDebt.fill('');
  await minDebt.press('Enter');
  await expect(totals).toContainText(`Должников: ${all.totals.count.toLocaleString('ru-RU')}`);
  await page.getByTestId('debts-breakdowns').click();
  await expect(page.getByTestId('debts-progress')).toContainText(`из ${all.totals.count.toLocaleString('ru-RU')}`);
  await expect(page.getByTestId('debts-progress')).toContainText('осталось');
  await screenshot(page, 'debts-ru');
  await page.keyboard.press('Escape');
  await expect(page.getByText('Пакет отменён: файл не создан').first()).toBeVisible();
  await expect(page.getByTestId('debts-job')).toHaveAttribute('data-state', 'cancelled');
  const batches = join(shell.dataDir, 'batches');
  expect(existsSync(batches) ? readdirSync(batches) : []).toEqual([]);
});

test('a counter operator has no debt list', async ({ shell }) => {
  await signInByApi(shell, 'kassa1');
  expect(await api(shell, 'debts.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await api(shell, 'debts.batchPdf', { action: 'start', document: 'notice' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
});
