// The mailing job and VAT payers on screen (#19.1, #19.5), with the embedded central service: a legal
// entity's card says whether it pays VAT; a mailing paused when the service stops is shown after the
// restart as interrupted, with «Продолжить», which finishes it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SESSION_COOKIE, signInByApi, startShell, stopShell, withSession, type Shell, screenshot } from './shell';

let shell: Shell;

async function api<T = unknown>(op: string, input: unknown = {}): Promise<{ ok: boolean; result: T }> {
  const response = await fetch(`${shell.origin}/api/${op}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${shell.token}`,
      'content-type': 'application/json',
      ...(shell.cookie ? { cookie: `${SESSION_COOKIE}=${shell.cookie}` } : {}),
    },
    body: JSON.stringify(input),
  });
  return (await response.json()) as { ok: boolean; result: T };
}

/** The shell up with its service, the supervisor signed in online (the mailing is the service's). */
async function online(options: { dataDir?: string } = {}, page?: Page) {
  shell = await startShell({ demo: 300, central: 'embedded', signIn: null, ...options });
  await signInByApi(shell, 'senior');
  await expect
    .poll(async () => (await api<{ state: string }>('sync.status')).result?.state, {
      timeout: 90_000,
      intervals: [500],
    })
    .toBe('online');
  await signInByApi(shell, 'senior');
  expect((await api<{ mode: string }>('session.get')).result.mode).toBe('online');
  if (page) await withSession(page, shell);
}

test.afterAll(async () => {
  if (shell) await stopShell(shell);
});

test('a VAT payer on the card, and a mailing the service stopped during, resumed after the restart', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await online({}, page);
  const db = new Database(join(shell.dataDir, 'aquadesk.db'), { readonly: true });
  const payer = db
    .prepare<[], number>(
      "SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.kind = 'legal' AND o.vat_payer = 1 ORDER BY a.id LIMIT 1",
    )
    .pluck()
    .get()!;
  db.close();
  await page.goto(`${shell.url}#/account/${payer}`);
  await expect(page.getByTestId('account-vat')).toHaveText('плательщик НДС');
  await screenshot(page, 'account-vat-ru');

  // Started and paused on «Рассылка»; then the service stops with the shell.
  await page.goto(`${shell.url}#/mailing`);
  await page.getByTestId('mailing-start').click();
  await page.getByTestId('mailing-pause').click();
  await expect(page.getByTestId('mailing-state')).toHaveText('Приостановлена');
  const dataDir = shell.dataDir;
  await stopShell(shell, false);

  await online({ dataDir }, page);
  await page.goto(`${shell.url}#/mailing`);
  await expect(page.getByTestId('mailing-state')).toHaveText('Прервана остановкой сервиса');
  await expect(page.getByTestId('mailing-interrupted')).toBeVisible();
  await expect(page.getByText('Закончена в')).toHaveCount(0); // not over: it has no end time yet
  await expect(page.getByTestId('mailing-start')).toBeEnabled();
  await screenshot(page, 'mailing-interrupted-ru');
  await page.getByTestId('mailing-resume').click();
  await expect(page.getByTestId('mailing-state')).toHaveText('Завершена', { timeout: 120_000 });
  await expect(page.getByTestId('mailing-left')).toHaveText('0');
  await expect(page.getByTestId('mailing-failed')).toHaveText('0');
});
