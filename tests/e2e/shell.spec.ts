// The app frame in the web shell: search always one key away, About from app.info, the language
// switch remembered, translated errors that change nothing, no access without the token.
import { api, expect, signInByApi, startShell, stopShell, test, screenshot, withSession } from './shell';

// The personal settings a test changes (the language, call-center mode) back as they were for the
// operator it ended with, even when it failed half-way (each test's page then signs the supervisor in anew).
test.afterEach(async ({ shell }) => {
  const reset = await api(shell, 'settings.set', { language: 'ru', callCenterMode: false });
  expect(reset.ok, JSON.stringify(reset.error)).toBe(true);
});

test('the frame opens in Russian with the search box focused and reachable by F2 and Ctrl+K', async ({
  page,
  shell,
}) => {
  await page.goto(shell.url);
  const search = page.getByTestId('global-search');
  await expect(search).toBeFocused();
  await expect(search).toHaveAttribute('placeholder', /Поиск: адрес, ФИО, телефон/);
  await expect(page.getByTestId('nav-settings')).toHaveText('Настройки');
  // The token left the address bar but the session keeps working.
  expect(page.url()).not.toContain('token=');
  await screenshot(page, 'shell-ru');

  await page.getByTestId('nav-mail').click();
  await expect(page.getByRole('heading', { name: 'Почта' })).toBeVisible();
  await expect(search).not.toBeFocused();
  await page.keyboard.press('F2');
  await expect(search).toBeFocused();
  await search.fill('Абая 10');
  await page.getByTestId('nav-audit').click();
  await expect(page.getByRole('heading', { name: 'Журнал действий' })).toBeVisible();
  await page.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('Абая 10'); // never loses what was typed
  await search.press('Enter');
  await expect(page).toHaveURL(/#\/search/);
});

test('About shows the version, the data folder, the database size and the accounts', async ({ page, shell }) => {
  await page.goto(shell.url);
  await expect(page.getByTestId('global-search')).toBeFocused(); // the frame is up (after the session is read)
  await page.keyboard.press('F1');
  const dialog = page.getByTestId('about-dialog');
  await expect(dialog).toContainText('О программе');
  await expect(page.getByTestId('about-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('about-data-dir')).toHaveText(shell.dataDir);
  await expect(page.getByTestId('about-db-size')).toHaveText(/^\d+(,\d)? (КБ|МБ)$/);
  await expect(page.getByTestId('about-accounts')).toHaveText('2 000');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('switching to Kazakh translates the frame and is remembered after a reload', async ({ page, shell }) => {
  await page.goto(shell.url);
  await page.getByTestId('language').click();
  await page.getByText('Қазақша', { exact: true }).click();
  await expect(page.getByTestId('nav-settings')).toHaveText('Баптаулар');
  await expect(page.getByTestId('global-search')).toHaveAttribute('placeholder', /Іздеу/);
  await expect(page.locator('.n-base-select-menu')).toBeHidden();
  await screenshot(page, 'shell-kk');
  await page.reload();
  await expect(page.getByTestId('nav-settings')).toHaveText('Баптаулар');
  // The operator's own preference: a new browser profile where the same operator is signed in opens in Kazakh.
  const fresh = await page.context().browser()!.newPage();
  await withSession(fresh, shell);
  await fresh.goto(shell.url);
  await expect(fresh.getByTestId('nav-search')).toHaveText('Іздеу');
  await fresh.close();
  // Back to Russian by the switch.
  await page.getByTestId('language').click();
  await page.getByText('Русский', { exact: true }).click();
  await expect(page.getByTestId('nav-settings')).toHaveText('Настройки');
});

test('wrong requisites (BIN, IIK, BIC, phone) get a translated error under each field and save nothing', async ({
  page,
  shell,
}) => {
  // The office's settings are the administrator's (the next test's page signs the supervisor in again).
  await signInByApi(shell, 'admin');
  await withSession(page, shell);
  await page.goto(shell.url);
  await page.getByTestId('nav-settings').click();
  const bin = page.getByTestId('utility-bin');
  await expect(bin).toHaveValue(/^\d{12}$/);
  const before = await bin.inputValue();
  const iban = await page.getByTestId('utility-iban').inputValue();
  await bin.fill('12345');
  await page.getByTestId('utility-iban').fill('KZ31601A000000000002'); // one digit off: the check digits fail
  await page.getByTestId('utility-bik').fill('X');
  await page.getByTestId('utility-phone').fill('abc');
  // The requisites are the central service's: saved by their own button, refused at the desk's door.
  await page.getByTestId('utility-save').click();
  const card = page.getByTestId('utility-requisites');
  await expect(card.getByText('БИН — 12 цифр, например 990240001237')).toBeVisible();
  await expect(card.getByText(/^ИИК — KZ, 2 контрольные цифры .*проверьте, не опечатка ли$/)).toBeVisible();
  await expect(card.getByText(/^БИК — 8 или 11 латинских букв/)).toBeVisible();
  await expect(card.getByText('Телефон вида +7 701 123 45 67')).toBeVisible();
  await screenshot(page, 'requisites-refused');
  await page.reload();
  await expect(page.getByTestId('utility-bin')).toHaveValue(before);
  await expect(page.getByTestId('utility-iban')).toHaveValue(iban);
  await page.getByTestId('call-center-mode').click();
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Сохранено')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('call-center-mode')).toHaveClass(/n-switch--active/);
  await expect(page.getByTestId('secrets-unprotected')).toBeVisible();
  await page.getByTestId('call-center-mode').click();
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Сохранено')).toBeVisible();
});

test('leaving «Настройки» with a change not saved asks first; staying is the default, leaving drops it', async ({
  page,
  shell,
}) => {
  await signInByApi(shell, 'call1');
  await withSession(page, shell);
  await page.goto(`${shell.url}#/settings`);
  const mode = page.getByTestId('call-center-mode');
  await expect(mode).not.toHaveClass(/n-switch--active/);
  await mode.click();
  await page.getByTestId('nav-search').click();
  await expect(page.getByText('Настройки не сохранены')).toBeVisible();
  await expect(page.getByTestId('settings-unsaved-stay')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Настройки не сохранены')).toBeHidden();
  await expect(page).toHaveURL(/#\/settings$/);
  await expect(mode).toHaveClass(/n-switch--active/);
  // Leaving without it: the mode stays off.
  await page.getByTestId('nav-search').click();
  await page.getByTestId('settings-unsaved-leave').click();
  await expect(page).toHaveURL(/#\/search$/);
  await page.goto(`${shell.url}#/settings`);
  await expect(page.getByTestId('call-center-mode')).not.toHaveClass(/n-switch--active/);
  // Saved, nothing is asked.
  await page.getByTestId('call-center-mode').click();
  await page.keyboard.press('Control+s');
  await expect(page.getByText('Сохранено')).toBeVisible();
  await page.getByTestId('nav-search').click();
  await expect(page).toHaveURL(/#\/search$/);
  await expect(page.getByText('Настройки не сохранены')).toHaveCount(0);
  await page.goto(`${shell.url}#/settings`);
  await page.getByTestId('call-center-mode').click();
  await page.keyboard.press('Control+s');
  await expect(page.getByText('Сохранено')).toBeVisible();
});

test('without the token the page says how to get access and the API answers 401', async ({ page, shell }) => {
  await page.goto(shell.origin);
  await expect(page.getByTestId('no-token')).toContainText('Нет ключа доступа');
  await expect(page.getByTestId('no-token')).toContainText('npm run web');
  const response = await page.request.post(`${shell.origin}/api/app.info`, { data: {} });
  expect(response.status()).toBe(401);
});

test('Ctrl+C stops the shell cleanly and the next start reuses the data without regenerating it', async ({ page }) => {
  const first = await startShell({ demo: 500 });
  await withSession(page, first);
  await page.goto(first.url);
  await expect(page.getByTestId('global-search')).toBeFocused(); // the frame is up (after the session is read)
  await page.keyboard.press('F1');
  await expect(page.getByTestId('about-accounts')).toHaveText('500');
  expect(await stopShell(first, false)).toBe(0);
  const second = await startShell({ demo: 900, dataDir: first.dataDir });
  try {
    await withSession(page, second);
    await page.goto(second.url);
    await expect(page.getByTestId('global-search')).toBeFocused(); // the frame is up (after the session is read)
    await page.keyboard.press('F1');
    await expect(page.getByTestId('about-accounts')).toHaveText('500');
  } finally {
    await stopShell(second);
  }
});
