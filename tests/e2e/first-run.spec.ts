// A fresh install's first run, by keyboard: no demo, no operators, so the first-run screen comes; a
// wrong code is said under the field; the code an administrator made (`office enroll KEY`) connects
// the desk, and the first operator signs in online.
import { expect, test } from '@playwright/test';
import { createEnrolment } from '../../src-server/desks';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { startCentral, type Central } from '../helpers/central';
import { screenshot, startShell, stopShell, type Shell } from './shell';

let central: Central;
let shell: Shell;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  central = await startCentral('pglite', { accounts: 80, months: 2 });
  shell = await startShell({ demo: 0, central: 'none', signIn: null });
});

test.afterAll(async () => {
  await stopShell(shell);
  await central?.close();
});

test('a new desk asks for the service and a one-time code, is connected by it, and the first operator signs in online', async ({
  page,
}) => {
  await page.goto(shell.url);
  const form = page.getByTestId('enrol');
  await expect(form).toContainText('Подключение рабочего места');
  await expect(page.getByTestId('enrol-url')).toBeFocused();
  await page.keyboard.type(central.url);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('enrol-code')).toBeFocused();
  await page.keyboard.type('AAAA-BBBB-CCCC-DDDD');
  await page.keyboard.press('Enter');
  await expect(form).toContainText('Такого кода нет');
  await expect(page.getByTestId('enrol')).toBeVisible(); // the first-run screen stays
  await screenshot(page, 'first-run-ru');

  const { code } = await createEnrolment(central.db, central.officeKey, new Date());
  await page.getByTestId('enrol-code').fill(code.toLowerCase());
  await page.getByTestId('enrol-code').press('Enter');
  await expect(page.locator('.n-message', { hasText: 'Рабочее место подключено к отделению' })).toBeVisible();
  await expect(page.getByTestId('signin')).toBeVisible();

  await page.getByTestId('signin-login').fill('admin');
  await page.getByTestId('signin-password').fill(DEMO_OPERATOR_PASSWORD);
  await page.getByTestId('signin-password').press('Enter');
  await expect(page.getByTestId('global-search')).toBeVisible();
  // Signed in by the service, not by this PC (it has no verifier yet): the frame does not say «без связи».
  const session = await page.evaluate(async () => {
    const token = sessionStorage.getItem('aquadesk.token');
    return (await (
      await fetch('/api/session.get', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { result: { mode: string } };
  });
  expect(session.result.mode).toBe('online');
});
