// The contact log in the web shell: F4 begins a call, the desk collects by itself what was done during
// it (a reading, a printed breakdown), F4 ends it with the topic and note typed in the bar and takes
// the next; the account's card lists it newest first; the supervisor's report counts it.
import type { Contact } from '../../src-shared/schemas/contacts';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { formatReading } from '../../src-shared/readings/format';
import { api, expect, screenshot, signInByApi, test, withSession, type Shell, readDesk } from './shell';

/** An open account with one meter that has a previous reading and none this month, and no contacts yet. */
function oneMeterAccount(shell: Shell): { id: number; number: string } {
  return readDesk(shell, (db) => {
    return db
      .prepare(
        `SELECT a.id, a.number FROM accounts a
          WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) = 1
            AND NOT EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id AND r.period = strftime('%Y-%m', 'now', '+5 hours'))
            AND EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id AND m.removed_on IS NULL)
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.account_id = a.id)
            AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = a.id)
          ORDER BY a.id DESC LIMIT 1`,
      )
      .get() as { id: number; number: string };
  });
}

async function ok<T>(shell: Shell, op: string, input: unknown = {}): Promise<T> {
  const outcome = await api<T>(shell, op, input);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result!;
}

test.afterEach(async ({ shell }) => {
  await api(shell, 'settings.set', { callCenterMode: false });
  await api(shell, 'contacts.close', {});
});

test('F4 begins a call that collects a reading and a printed breakdown, and ends it on the next F4', async ({
  page,
  shell,
}) => {
  await ok(shell, 'settings.set', { callCenterMode: true });
  // The browser's print dialog is not opened in a test: every frame's print() does nothing.
  await page.addInitScript(() => {
    window.print = () => undefined;
  });
  const target = oneMeterAccount(shell);
  const list = await ok<ReadingsList>(shell, 'readings.list', { accountId: target.id });
  const meter = list.meters[0]!;
  const step = 10 ** (3 - meter.format.fracDigits);
  const value = formatReading(
    meter.previous!.litres + Math.max(step, Math.round((meter.expectedLitres ?? 3000) / step) * step),
    meter.format,
  ).replace(/^0+(?=\d)/, '');

  // The built-in topics are there (with or without a service).
  await expect
    .poll(async () => (await ok<{ topics: unknown[] }>(shell, 'contactTopics.list')).topics.length, { timeout: 20_000 })
    .toBeGreaterThan(5);
  await page.goto(shell.url);
  const search = page.getByTestId('global-search');
  await expect(search).toBeFocused();
  const bar = page.getByTestId('contact-bar');
  await page.keyboard.press('F4');
  await expect(bar.getByTestId('contact-channel')).toContainText('Звонок с');
  await expect(bar.getByTestId('contact-done')).toHaveText('пока ничего не сделано');

  // The caller's account, the reading by keyboard.
  await page.keyboard.type(target.number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('reading-0')).toBeFocused();
  await page.keyboard.type(value);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Показания сохранены — ожидают отправки')).toBeVisible();
  await expect(bar.getByTestId('contact-account')).toHaveText(target.number);

  // The breakdown printed (through the browser: its PDF fetch is the print, not a save).
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('breakdown-table')).toBeVisible();
  const printed = page.waitForResponse((r) => r.url().endsWith('/api/statements.breakdownPdf'));
  await page.getByTestId('print').click();
  await printed;
  await expect(bar.getByTestId('contact-done')).toHaveText('Сделано: показания переданы, документ напечатан');

  // The topic and note in the bar, then F4: this call ends, the next begins.
  await bar.getByTestId('contact-topic').click();
  await page.keyboard.type('Показ');
  await page.keyboard.press('Enter');
  await bar.getByTestId('contact-note').fill('Передал показания, попросил расшифровку');
  await screenshot(page, 'contact-bar-ru');
  const first = (await ok<{ contact: Contact }>(shell, 'contacts.current')).contact;
  await page.keyboard.press('F4');
  await expect(search).toBeFocused();
  await expect(bar.getByTestId('contact-done')).toHaveText('пока ничего не сделано');
  const next = (await ok<{ contact: Contact }>(shell, 'contacts.current')).contact;
  expect(next.id).not.toBe(first.id);
  expect(next).toMatchObject({ channel: 'phone', accountId: null, state: 'open' });

  const [ended] = (await ok<{ contacts: Contact[] }>(shell, 'contacts.list', { accountId: target.id })).contacts;
  expect(ended).toMatchObject({
    id: first.id,
    channel: 'phone',
    topicId: 'readings',
    note: 'Передал показания, попросил расшифровку',
  });
  expect(ended!.endedAt).not.toBeNull();
  expect(ended!.actions.map((a) => [a.kind, a.detail])).toEqual([
    ['readingSubmitted', null],
    ['statementPrinted', 'breakdown'],
  ]);

  // On the card, newest first, by Alt+7.
  await page.goto(`${shell.url}#/account/${target.id}`);
  await expect(page.getByTestId('account-strip')).toBeVisible();
  await page.keyboard.press('Alt+7');
  const table = page.getByTestId('account-contacts');
  await expect(table).toContainText('Показания');
  await expect(table).toContainText('показания переданы, документ напечатан');
  await expect(table).toContainText('Передал показания, попросил расшифровку');
  await screenshot(page, 'contacts-card-ru');

  // The supervisor's report counts it (the demo supervisor took the call).
  await page.goto(`${shell.url}#/contacts`);
  await expect(page.getByTestId('contacts-report')).toContainText('Показания');
  await expect(page.getByTestId('contacts-total')).toContainText('Всего обращений');
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits).toBe(true);
  await screenshot(page, 'contacts-report-ru');
});

test('an administrator adds a topic in three languages; the bar offers it in the operator’s language', async ({
  page,
  shell,
}) => {
  await signInByApi(shell, 'admin');
  await withSession(page, shell);
  await page.goto(`${shell.url}#/contacts`);
  await page.getByTestId('contacts-topics').click();
  const dialog = page.getByTestId('topics-dialog');
  await expect(dialog.getByTestId('topic-readings')).toHaveText('Показания');
  await dialog.getByTestId('topic-save').click(); // nothing typed: said under the fields
  await expect(dialog).toContainText('Слишком мало или пусто');
  await dialog.getByTestId('topic-name-ru').fill('Отключение воды');
  await dialog.getByTestId('topic-name-kk').fill('Суды өшіру');
  await dialog.getByTestId('topic-name-en').fill('Water cut off');
  await dialog.getByTestId('topic-save').click();
  await expect(page.getByText('Тема сохранена — ожидает отправки')).toBeVisible();
  await expect(dialog).toContainText('Отключение воды');
  await screenshot(page, 'contact-topics-ru');
  await page.keyboard.press('Escape');

  await page.getByTestId('contact-begin-email').click();
  await page.getByTestId('contact-topic').click();
  await expect(page.locator('.n-base-select-option').filter({ hasText: 'Отключение воды' })).toBeVisible();
});
