// The customer's web account from the operator's panel to the customer's own pages, on the whole
// system of `npm run web`: the embedded central service writes its letters as .eml files, and the
// links in them are opened in the browser like the customer would.
import { simpleParser } from 'mailparser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { api, signInOnline, startShell, stopShell, withSession, type Shell, screenshot, readDesk } from './shell';

let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell({ demo: 300, central: 'embedded', signIn: null });
  await signInOnline(shell, 'kassa1'); // waits here, under the hook's own timeout, for the desk to be online
});
// Each test starts as a counter operator, online, in a session of its own (whoever the test before signed in).
test.beforeEach(async ({ page }) => {
  await signInOnline(shell, 'kassa1');
  await withSession(page, shell);
});
test.afterAll(async () => {
  await stopShell(shell);
});

/** The link in the newest letter to `to` (the embedded service has no SMTP: .eml files in its folder). */
async function linkIn(to: string, seen: Set<string>): Promise<string> {
  const folder = join(shell.dataDir, 'central', 'mail');
  for (let i = 0; i < 100; i++) {
    for (const file of existsSync(folder) ? readdirSync(folder).sort() : []) {
      if (seen.has(file)) continue;
      const mail = await simpleParser(readFileSync(join(folder, file)));
      if ((mail.to && !Array.isArray(mail.to) ? mail.to.text : '') !== to) continue;
      seen.add(file);
      return /https?:\/\/\S+/.exec(mail.text ?? '')![0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no letter to ${to}`);
}

test('register a walk-in customer, who confirms by the letter, sets a password and signs in; then a reset link', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const [target, other] = readDesk(shell, (db) =>
    db
      .prepare<[], { id: number; number: string; iin: string }>(
        `SELECT a.id, a.number, o.iin_bin AS iin FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN web_accounts w ON w.account_id = a.id
        WHERE w.account_id IS NULL AND a.kind = 'individual' AND a.closed_on IS NULL AND o.language = 'ru'
          AND EXISTS (SELECT 1 FROM phones p WHERE p.account_id = a.id) ORDER BY a.id LIMIT 2`,
      )
      .all(),
  );
  const email = `walkin.${target!.number}@example.kz`;
  const seen = new Set<string>();

  await page.goto(`${shell.url}#/account/${target!.id}?tab=web`);
  await expect(page.getByTestId('web-status')).toHaveText('не зарегистрирован');
  await page.keyboard.press('Alt+r');
  const iin = page.getByTestId('web-iin');
  await expect(iin).toBeFocused();
  // Someone else's (valid) IIN: the service compares it with the owner's and says so under the field.
  await iin.fill(other!.iin);
  await page.getByTestId('web-email').fill(email);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('ИИН не совпадает с ИИН владельца лицевого счёта.')).toBeVisible();
  await iin.fill('123456789012');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Неверный ИИН / БИН: не сходится контрольная цифра')).toBeVisible();
  await iin.fill(target!.iin);
  await iin.press('Enter');
  await expect(page.getByTestId('web-email')).toBeFocused();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText(`Письмо для подтверждения отправлено на ${email}`)).toBeVisible();
  await expect(page.getByTestId('web-status')).toHaveText('ожидает подтверждения');
  await expect(page.locator('.n-modal')).toHaveCount(0); // the dialog has finished closing
  await screenshot(page, 'web-account-ru');

  // The customer opens the letter's link: the service's own page, in Russian, sets the password.
  const confirm = await linkIn(email, seen);
  expect(confirm).toContain('/web/confirm?token=');
  const customer = await page.context().newPage();
  await customer.goto(confirm);
  await expect(customer.getByRole('heading', { name: 'Подтверждение регистрации' })).toBeVisible();
  await expect(customer.locator('main')).toContainText(`Логин: ${target!.number}`);
  await screenshot(customer, 'customer-confirm-ru');
  await customer.locator('#password').fill('Vodokanal2026');
  await customer.locator('#password2').fill('Vodokanal2026');
  await customer.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(customer.locator('main')).toContainText('Регистрация подтверждена');
  await customer.locator('#login').fill(target!.number);
  await customer.locator('#password').fill('Vodokanal2026');
  await customer.getByRole('button', { name: 'Войти' }).click();
  await expect(customer.locator('[data-test="login"]')).toHaveText(target!.number);

  // Back at the counter: the panel shows the account active; the customer forgot the password.
  await page.reload();
  await expect(page.getByTestId('web-status')).toHaveText('активен');
  await page.keyboard.press('Alt+p');
  await expect(page.getByTestId('web-prompt')).toBeVisible();
  await page.keyboard.press('Enter'); // "by login", the first choice
  await expect(page.getByText(`Ссылка для смены пароля отправлена на ${email}`)).toBeVisible();
  const reset = await linkIn(email, seen);
  await customer.goto(reset);
  await customer.locator('#iinBin').fill(other!.iin);
  await customer.locator('#number').fill(target!.number);
  await customer.locator('#password').fill('Novyi2026pass');
  await customer.locator('#password2').fill('Novyi2026pass');
  await customer.getByRole('button', { name: 'Изменить пароль' }).click();
  await expect(customer.locator('.error')).toContainText('не совпадают с данными учётной записи');
  await customer.locator('#iinBin').fill(target!.iin);
  await customer.locator('#password').fill('Novyi2026pass');
  await customer.locator('#password2').fill('Novyi2026pass');
  await customer.getByRole('button', { name: 'Изменить пароль' }).click();
  await expect(customer.locator('main')).toContainText('Пароль изменён');
});

test('without the central service the panel shows the last synced state and offers no action', async ({ page }) => {
  await signInOnline(shell, 'admin'); // the administrator changes the office's settings (the service's address)
  await withSession(page, shell);
  const id = readDesk(shell, (db) =>
    db
      .prepare<[], number>("SELECT account_id FROM web_accounts WHERE status = 'active' ORDER BY account_id LIMIT 1")
      .pluck()
      .get()!,
  );
  await page.goto(`${shell.url}#/account/${id}?tab=web`);
  await expect(page.getByTestId('web-status')).toHaveText('активен');
  // The service goes away (its address changes to one nobody answers).
  const central = (await api<{ settings: { central: { url: string } } }>(shell, 'settings.get')).result!.settings
    .central;
  // The office key stays as it is (the window never has it): only the address changes.
  const set = (url: string) => api(shell, 'settings.set', { central: { url } });
  await set('http://127.0.0.1:9');
  try {
    await page.reload();
    await expect(page.getByTestId('web-offline')).toContainText('Нет связи с центральным сервисом');
    await expect(page.getByTestId('web-status')).toHaveText('активен');
    await expect(page.getByTestId('web-reset')).toHaveCount(0);
  } finally {
    await set(central.url);
  }
});
