// The operator's way in and out: the sign-in screen, the role in the frame, the lock (Ctrl+L and idle)
// that keeps the work under it, and signing out.
import { expect, test } from '@playwright/test';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { signInByApi, startShell, stopShell, type Shell, screenshot } from './shell';


let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell({ demo: 300, signIn: null });
});
test.afterAll(async () => {
  await stopShell(shell);
});

test('sign in by keyboard: a wrong password is said and cleared; the frame then shows who works, with their role', async ({ page }) => {
  await page.goto(shell.url);
  const login = page.getByTestId('signin-login');
  await expect(login).toBeFocused();
  await expect(page.getByTestId('signin-demo')).toContainText(DEMO_OPERATOR_PASSWORD);
  await screenshot(page, 'signin-ru');
  await login.fill('call1');
  await login.press('Enter');
  await expect(page.getByTestId('signin-password')).toBeFocused();
  await page.keyboard.type('wrong-pass1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signin-error')).toHaveText('Неверный логин или пароль.');
  await expect(page.getByTestId('signin-password')).toHaveValue('');
  await page.keyboard.type(DEMO_OPERATOR_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('operator')).toContainText('Петрова Анна Сергеевна · оператор call-центра');
  await expect(page.getByTestId('global-search')).toBeFocused();
  // A call-center agent sees no supervision screens.
  await expect(page.getByTestId('nav-search')).toBeVisible();
  await expect(page.getByTestId('nav-audit')).toHaveCount(0);
  await expect(page.getByTestId('nav-settings')).toHaveCount(0);
  await expect(page.getByTestId('nav-operators')).toHaveCount(0);
});

test('Ctrl+L locks the screen; what was typed is still there after the password', async ({ page }) => {
  await page.goto(shell.url);
  const search = page.getByTestId('global-search');
  await search.fill('Абая 10');
  await page.keyboard.press('Control+l');
  const lock = page.getByTestId('lock-screen');
  await expect(lock).toContainText('Экран заблокирован');
  await expect(page.getByTestId('unlock-password')).toBeFocused();
  await screenshot(page, 'lock-ru');
  // Shortcuts do nothing while locked, and the API refuses work.
  await page.keyboard.press('F2');
  await expect(page.getByTestId('unlock-password')).toBeFocused();
  await page.keyboard.type('Wrong2026');
  await page.keyboard.press('Enter');
  await expect(lock).toContainText('Неверный логин или пароль.');
  await page.keyboard.type(DEMO_OPERATOR_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(lock).toBeHidden();
  await expect(search).toHaveValue('Абая 10');
});

test('the screen locks by itself after the idle time set in the settings', async ({ page }) => {
  await page.clock.install();
  await page.goto(shell.url);
  await expect(page.getByTestId('operator')).toBeVisible();
  await page.clock.fastForward('14:00');
  await expect(page.getByTestId('lock-screen')).toBeHidden();
  await page.clock.fastForward('01:10'); // past the default 15 minutes without a key or a click
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await page.getByTestId('unlock-password').fill(DEMO_OPERATOR_PASSWORD);
  await page.getByTestId('unlock').click();
  await expect(page.getByTestId('lock-screen')).toBeHidden();
});

test('a supervisor sees the supervision screens; signing out returns to the sign-in screen', async ({ page }) => {
  await signInByApi(shell, 'senior');
  await page.goto(shell.url);
  await expect(page.getByTestId('operator')).toContainText('Ахметов Ерлан Болатович · руководитель');
  await expect(page.getByTestId('nav-audit')).toBeVisible();
  await expect(page.getByTestId('nav-settings')).toBeVisible();
  await page.getByTestId('nav-audit').click();
  // The sign-ins, the failed one and the locks are in the audit trail, in the supervisor's words.
  const table = page.getByTestId('audit-table');
  await expect(table).toContainText('Петрова Анна СергеевнаВходотказано');
  await expect(table).toContainText('Блокировка экрана');
  await expect(table).toContainText('причина: неверный пароль · логин: call1');
  await expect(table).toContainText('вход: без связи, на этом компьютере');
  await expect(table).not.toContainText('{"');
  await expect(page.locator('.n-data-table .n-base-loading')).toHaveCount(0);
  await screenshot(page, 'audit-ru');
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signin-login')).toBeFocused();
});
