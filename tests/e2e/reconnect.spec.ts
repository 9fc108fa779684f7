// A session signed in while the central service did not answer (#21.2): the frame marks it (⚠), and
// once the service answers again it offers «Войти в сервис»; the password (asked again, never kept)
// makes the same session online, the screen as it was. With the embedded service of `npm run web`.
import { expect, test } from '@playwright/test';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { api, screenshot, signInByApi, signInOnline, startShell, stopShell, withSession, type Shell } from './shell';

let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell({ demo: 300, central: 'embedded', signIn: null });
});
test.afterAll(async () => {
  await stopShell(shell);
});

/** Sets the service's address as the administrator would (their own browser: the page's session stays). */
async function centralAt(url: string) {
  const page = shell.cookie;
  shell.cookie = null;
  await signInByApi(shell, 'admin');
  expect((await api(shell, 'settings.set', { central: { url } })).ok).toBe(true);
  await api(shell, 'sync.now');
  shell.cookie = page;
}

test('signed in offline, then «Войти в сервис» once the service answers: the same screen, now online', async ({
  page,
}) => {
  await signInOnline(shell, 'admin');
  const url = (await api<{ settings: { central: { url: string } } }>(shell, 'settings.get')).result!.settings.central
    .url;
  await centralAt('http://127.0.0.1:9');
  await signInByApi(shell, 'senior');
  expect((await api<{ mode: string }>(shell, 'session.get')).result?.mode).toBe('offline');
  await withSession(page, shell);
  await page.goto(`${shell.url}#/search`);
  await expect(page.getByTestId('operator')).toContainText('⚠');
  // On screen, not cut off with the operator's long name: what is at the mark's place is the mark.
  const mark = page.getByTestId('offline-mark');
  const box = (await mark.boundingBox())!;
  expect(
    await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('data-test'), {
      x: box.x + box.width / 2,
      y: box.y + box.height / 2,
    }),
  ).toBe('offline-mark');
  await expect(page.getByTestId('sync-status')).toContainText('нет связи');
  await expect(page.getByTestId('reconnect')).toHaveCount(0); // nothing to sign in to yet
  // The mark and the offline status leave the search its whole example («…, договор»).
  const search = page.getByTestId('global-search');
  const [needed, room] = await search.evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const ruler = document.createElement('canvas').getContext('2d')!;
    ruler.font = `${style.fontSize} ${style.fontFamily}`;
    return [
      ruler.measureText(input.placeholder).width,
      input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
    ];
  });
  expect(needed).toBeLessThanOrEqual(room);

  await centralAt(url);
  const offer = page.getByTestId('reconnect');
  await expect(offer).toBeVisible({ timeout: 15_000 });
  await expect(offer).toHaveText('Войти в сервис');
  await expect(offer).toHaveAttribute('title', /Вход без связи — войдите снова, чтобы работать с сервисом/);
  await page.getByTestId('global-search').fill('Абая');
  await screenshot(page, 'reconnect-offer-ru');

  await offer.click();
  await page.getByTestId('reconnect-password').fill('Wrong2026');
  await page.getByTestId('reconnect-password').press('Enter');
  await expect(page.getByTestId('reconnect-problem')).toHaveText('Неверный пароль.');
  await screenshot(page, 'reconnect-dialog-ru');
  await page.getByTestId('reconnect-password').fill(DEMO_OPERATOR_PASSWORD);
  await page.getByTestId('reconnect-password').press('Enter');
  await expect(page.locator('.n-message', { hasText: 'Вход в центральный сервис выполнен' })).toBeVisible();
  await expect(page.getByTestId('reconnect')).toHaveCount(0);
  await expect(page.getByTestId('operator')).not.toContainText('⚠');
  await expect(page.getByTestId('global-search')).toHaveValue('Абая'); // the screen as it was
  expect((await api<{ mode: string }>(shell, 'session.get')).result?.mode).toBe('online');
});
