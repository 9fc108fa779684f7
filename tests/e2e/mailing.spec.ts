// The mailing job and VAT payers on screen (#19.1, #19.5), with the embedded central service: a legal
// entity's card says whether it pays VAT; a mailing shows its total and what is left from the start, who
// started it by name, and follows its progress at once; paused when the service stops, it is shown after
// the restart as interrupted, for its own month, with «Начать рассылку» off until «Продолжить», which
// finishes it (and the screen follows it at once); a cancelled one counts what it did not send.
import { expect, test, type Page } from '@playwright/test';
import {
  SESSION_COOKIE,
  signInByApi,
  startShell,
  stopShell,
  withSession,
  type Shell,
  screenshot,
  readDesk,
} from './shell';

let shell: Shell;
// The embedded service (a child of the shell, which inherits this) sends a letter a second per worker:
// slow enough that «Пауза» is pressed while letters are left, on any machine (without it a fast run
// could end before the click, and the restart find nothing to resume).
process.env['MAILING_MIN_LETTER_MS'] = '1000';

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

/** A month that is over, `back` months before this one in Almaty, as the picker names it. */
function monthBack(back: number): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 - back, 15)).toLocaleDateString('ru-RU', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

test.afterAll(async () => {
  if (shell) await stopShell(shell);
});

test('a VAT payer on the card, and a mailing the service stopped during, resumed after the restart', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await online({}, page);
  const payer = readDesk(shell, (db) =>
    db
      .prepare<[], number>(
        "SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.kind = 'legal' AND o.vat_payer = 1 ORDER BY a.id LIMIT 1",
      )
      .pluck()
      .get()!,
  );
  await page.goto(`${shell.url}#/account/${payer}`);
  await expect(page.getByTestId('account-vat')).toHaveText('плательщик НДС');
  await screenshot(page, 'account-vat-ru');

  // Started for the month before last and paused on «Рассылка»; then the service stops with the shell.
  await page.goto(`${shell.url}#/mailing`);
  await expect(page.getByTestId('mailing-none')).toBeVisible();
  const month = monthBack(2);
  await page.getByTestId('mailing-period').click();
  await page.getByText(month, { exact: true }).click();
  await page.getByTestId('mailing-start').click();
  // Its letters counted from the start (not «0 · Осталось 0» for the first seconds), and who started it by name.
  await expect(page.getByTestId('mailing-left')).not.toHaveText('0', { timeout: 2_000 });
  await expect(page.getByTestId('mailing-job')).toContainText('Запустил Ахметов Ерлан Болатович');
  await page.getByTestId('mailing-pause').click();
  await expect(page.getByTestId('mailing-state')).toHaveText('Приостановлена');
  const dataDir = shell.dataDir;
  await stopShell(shell, false);

  await online({ dataDir }, page);
  await page.goto(`${shell.url}#/mailing`);
  await expect(page.getByTestId('mailing-state')).toHaveText('Прервана остановкой сервиса');
  await expect(page.getByTestId('mailing-interrupted')).toBeVisible();
  await expect(page.getByText('Закончена в')).toHaveCount(0); // not over: it has no end time yet
  // No new mailing until this one is resumed or cancelled, said beside the button; the picker shows its month.
  await expect(page.getByTestId('mailing-start')).toBeDisabled();
  await expect(page.getByTestId('mailing-start-hint')).toHaveText(
    'Новую рассылку можно начать, когда прерванная будет продолжена или отменена.',
  );
  await expect(page.getByTestId('mailing-period')).toContainText(month);
  await screenshot(page, 'mailing-interrupted-ru');
  const before = await page.getByTestId('mailing-sent').innerText();
  await page.getByTestId('mailing-resume').click();
  // Followed at once (the screen's next look is not the 10-s one begun while nothing ran).
  await expect(page.getByTestId('mailing-sent')).not.toHaveText(before, { timeout: 5_000 });
  await expect(page.getByTestId('mailing-state')).toHaveText('Завершена', { timeout: 120_000 });
  await expect(page.getByTestId('mailing-left')).toHaveText('0');
  await expect(page.getByTestId('mailing-failed')).toHaveText('0');
  await expect(page.getByTestId('mailing-start')).toBeEnabled();

  // Another month, paused and cancelled: what it did not send is counted, not reported as complete.
  await page.getByTestId('mailing-period').click();
  await page.getByText(monthBack(1), { exact: true }).click();
  await page.getByTestId('mailing-start').click();
  await page.getByTestId('mailing-pause').click();
  await expect(page.getByTestId('mailing-state')).toHaveText('Приостановлена');
  await page.getByTestId('mailing-cancel').click();
  await page.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(page.getByTestId('mailing-state')).toHaveText('Отменена');
  const untaken = Number(await page.getByTestId('mailing-cancelled').innerText());
  expect(untaken).toBeGreaterThan(0);
  await expect(page.getByTestId('mailing-progress')).not.toContainText('100');
  await expect(page.getByTestId('mailing-report')).toContainText(`отменено: ${untaken}`);
  await expect(page.getByTestId('mailing-cancelled-letters')).toBeVisible();
});
