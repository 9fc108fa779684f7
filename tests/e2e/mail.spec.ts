// «Почта» and the SMTP test in the web shell, against a real SMTP server on 127.0.0.1 (tests/helpers/smtp.ts):
// the test letter with the relay down says it failed and why; failed letters show their reason in words
// and are sent again from «Почта» by a click (one, then all), the screen following the outbox live; a send
// interrupted after DATA shows «возможен повтор» and its next attempt.
import { createServer } from 'node:net';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { api, DEMO_LOGIN, expect, screenshot, signInByApi, test, withSession, type Shell, readDesk } from './shell';

function accountWithEmail(shell: Shell): number {
  return readDesk(shell, (db) => {
    return db
      .prepare(
        "SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE a.closed_on IS NULL AND o.language = 'ru' ORDER BY a.id LIMIT 1",
      )
      .pluck()
      .get() as number;
  });
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const smtpSettings = (port: number) => ({
  smtp: {
    host: '127.0.0.1',
    port,
    secure: false,
    user: '',
    password: '',
    from: 'billing@su.kz',
    trustRelayCertificate: false,
  },
});

let smtp: TestSmtp | null = null;
const refused = new Set<string>();
// The shell is shared with the other files: mail back to .eml files and the usual operator signed in.
test.afterEach(async ({ shell }) => {
  await api(shell, 'settings.set', { smtp: null });
  await smtp?.close();
  smtp = null;
  await signInByApi(shell, DEMO_LOGIN);
});

test('the SMTP test with the relay down says it failed, and why (ECONNREFUSED)', async ({ page, shell }) => {
  await signInByApi(shell, 'admin');
  await withSession(page, shell);
  const set = await api(shell, 'settings.set', smtpSettings(await closedPort()));
  expect(set.ok, JSON.stringify(set.error)).toBe(true);
  await page.goto(shell.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('test-to').fill('operator@su.kz');
  await page.getByTestId('smtp-test-send').click();
  const toast = page.locator('.n-message').filter({ hasText: 'Проверочное письмо не отправлено' });
  await expect(toast).toContainText('SMTP-сервер не принимает соединение (ECONNREFUSED)');
  await expect(toast).toContainText('connect ECONNREFUSED 127.0.0.1');
  await expect(page.locator('.n-message')).not.toContainText('SMTP не настроен');
});

test('failed letters show their reason and are sent again from «Почта» by a click, one and then all; the screen follows live', async ({
  page,
  shell,
}) => {
  smtp = await startSmtp(0, [], { rejectRecipient: (address) => refused.has(address) });
  await signInByApi(shell, 'admin');
  await withSession(page, shell);
  const set = await api(shell, 'settings.set', smtpSettings(smtp.port));
  expect(set.ok, JSON.stringify(set.error)).toBe(true);
  const accountId = accountWithEmail(shell);
  const send = async (to: string) => {
    const queued = await api<{ id: number }>(shell, 'mail.send', { accountId, document: { kind: 'breakdown' }, to });
    expect(queued.ok, JSON.stringify(queued.error)).toBe(true);
    return queued.result!.id;
  };
  refused.add('first@example.kz');
  refused.add('second@example.kz');

  await page.goto(shell.url);
  await page.getByTestId('nav-mail').click();
  await expect(page.getByRole('heading', { name: 'Почта' })).toBeVisible();
  // Queued while the screen is open: it appears, fails (refused for good) and says why, without a reload.
  const first = await send('first@example.kz');
  const second = await send('second@example.kz');
  const row = (id: number) => page.getByTestId(`mail-row-${id}`);
  for (const id of [first, second]) {
    await expect(row(id).getByTestId('mail-state')).toHaveText('не отправлено');
    await expect(row(id).getByTestId('mail-reason')).toHaveText('SMTP-сервер отказался принять адрес получателя');
    await expect(row(id).getByTestId('mail-end')).toHaveText(' · сервер отказал окончательно');
  }
  await expect(page.getByTestId('mail-resend-all')).toHaveText('Отправить снова все не отправленные (2)');
  await screenshot(page, 'mail-ru');

  // The addresses are right now: one by its button, then the rest by «all».
  refused.clear();
  await row(first).getByTestId(`mail-resend-${first}`).click();
  await expect(row(first).getByTestId('mail-state')).toHaveText('отправлено');
  await expect(page.getByTestId('mail-resend-all')).toHaveText('Отправить снова все не отправленные (1)');
  await page.getByTestId('mail-resend-all').click();
  await expect(row(second).getByTestId('mail-state')).toHaveText('отправлено');
  await expect(page.getByTestId('mail-resend-all')).toHaveCount(0);
  await expect(page.getByTestId('mail-counts')).toContainText('ошибки: 0');
  const outbox = await api<{ items: { id: number; to: string; messageId: string; state: string }[] }>(
    shell,
    'mail.outbox',
    { limit: 10 },
  );
  const ids = Object.fromEntries(outbox.result!.items.map((i) => [i.id, i.messageId]));
  expect(smtp.received.map((m) => [m.to && !Array.isArray(m.to) ? m.to.text : '', m.messageId])).toEqual([
    ['first@example.kz', ids[first]],
    ['second@example.kz', ids[second]],
  ]);

  // A send interrupted after DATA: «возможен повтор», and when the next attempt comes.
  const dropped = smtp.dropNext();
  const third = await send('third@example.kz');
  await dropped.arrived;
  await expect(row(third).getByTestId('mail-possible-duplicate')).toHaveText('возможен повтор');
  await expect(row(third).getByTestId('mail-state')).toContainText('в очереди');
  await expect(row(third).getByTestId('mail-next-attempt')).toContainText(
    /следующая попытка в \d\d\.\d\d\.\d{4} \d\d:\d\d/,
  );
  await expect(row(third).getByTestId('mail-reason')).toContainText(
    'отправка прервалась после передачи письма серверу',
  );
  await expect(page.getByTestId('mail-next-attempt-all')).toContainText('Следующая попытка:');
  await screenshot(page, 'mail-duplicate-ru');
});
