// Screens that are live and honest (#21): the Settings form saves only what was changed here and shows
// a change made meanwhile elsewhere as a conflict, never saved over it; Отправка lists what waits
// (account, what, when, who) while the service does not answer, and the strip says «нет связи»; after
// a lock and a reload the screen shows its data again. A shell of its own: these tests change the
// office's settings.
import { expect, test, type Page } from '@playwright/test';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import type { SettingsResult } from '../../src-shared/schemas/settings';
import { api, screenshot, signInByApi, startShell, stopShell, withSession, type Shell } from './shell';

let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell({ demo: 300, signIn: null });
});
test.afterAll(async () => {
  await stopShell(shell);
});

async function as(page: Page, login: string) {
  await signInByApi(shell, login);
  await withSession(page, shell);
}

const settings = async () => (await api<SettingsResult>(shell, 'settings.get')).result!.settings;
const set = async (patch: unknown) => expect((await api(shell, 'settings.set', patch)).ok).toBe(true);

test('Settings: a field changed elsewhere follows, one changed on both sides is a conflict and is not saved over', async ({
  page,
}) => {
  await as(page, 'admin');
  await set({ idleLockMinutes: 15, callCenterMode: false });
  try {
    await page.goto(`${shell.url}#/settings`);
    const idle = page.getByTestId('idle-lock-minutes');
    await expect(idle).toHaveValue('15');

    // The case: 22 set through the API while the form is open, then only call-center mode
    // toggled and saved: 22 stays (the form shows it too), nothing is reverted to 15.
    await set({ idleLockMinutes: 22 });
    await expect(idle).toHaveValue('22');
    await page.getByTestId('call-center-mode').click();
    await page.getByTestId('settings-save').click();
    await expect(page.locator('.n-message', { hasText: 'Сохранено' })).toBeVisible();
    expect(await settings()).toMatchObject({ idleLockMinutes: 22, callCenterMode: true });

    // Changed here (30, not saved) and through the API (25): a conflict, said at the top of the form;
    // saving another field keeps the API's 25.
    await idle.fill('30');
    await set({ idleLockMinutes: 25 });
    const conflict = page.getByTestId('conflict-idleLockMinutes');
    await expect(conflict).toContainText('теперь 25, у вас 30');
    await expect(idle).toHaveValue('30');
    await expect(page.getByText('Изменено в другом месте: 25')).toBeVisible(); // under the field too
    await conflict.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-conflict-ru');
    await page.getByTestId('call-center-mode').click();
    await page.getByTestId('settings-save').click();
    await expect(
      page.locator('.n-message', { hasText: 'Сохранено всё, кроме настроек, изменённых в другом месте' }),
    ).toBeVisible();
    expect(await settings()).toMatchObject({ idleLockMinutes: 25, callCenterMode: false });
    await expect(conflict).toBeVisible();

    // «Оставить моё» is a decision: now 30 is saved, knowingly.
    await page.getByTestId('conflict-keep-idleLockMinutes').click();
    await expect(conflict).toHaveCount(0);
    await page.getByTestId('settings-save').click();
    await expect.poll(async () => (await settings()).idleLockMinutes).toBe(30);
  } finally {
    await set({ idleLockMinutes: 15, callCenterMode: false });
  }
});

test('Отправка without the service: what waits, with the account, the meter, the value, who and when; the strip says «нет связи»', async ({
  page,
}) => {
  await as(page, 'admin');
  // A service that does not answer (nothing listens on port 9).
  await set({ central: { url: 'http://127.0.0.1:9', officeKey: 'an-office-key-nobody-has' } });
  try {
    await as(page, 'kassa1');
    await api(shell, 'sync.now');
    // An account with one meter and its previous reading: a plausible reading for this month.
    let submitted: { number: string; serial: string; value: string } | null = null;
    for (let accountId = 1; accountId < 300 && !submitted; accountId++) {
      const list = (await api<ReadingsList>(shell, 'readings.list', { accountId })).result;
      const meter = list?.meters.length === 1 ? list.meters[0]! : null;
      if (!meter?.previous || meter.current) continue;
      const value = formatReading(meter.previous.litres + (meter.expectedLitres ?? 3000), meter.format);
      const saved = await api(shell, 'readings.submit', { accountId, entries: [{ meterId: meter.meterId, value }] });
      if (!saved.ok) continue;
      const card = (await api<{ number: string }>(shell, 'accounts.get', { accountId })).result!;
      submitted = { number: card.number, serial: meter.serial, value };
    }
    expect(submitted).not.toBeNull();
    const { number, serial, value } = submitted!;

    await page.goto(`${shell.url}#/outbox`);
    await expect(page.getByTestId('sync-status')).toContainText('нет связи');
    const pending = page.getByTestId('pending');
    const row = pending.locator('tbody tr', { hasText: number });
    await expect(row).toContainText(`Счётчик ${serial}: ${value} за`);
    await expect(row).toContainText('Сулейменова Айгүл Маратовна'); // kassa1 entered it
    await expect(row).toContainText('ждёт отправки');
    await expect(row).toContainText(/\d\d\.\d\d\.\d{4} \d\d:\d\d/);
    await expect(page.getByTestId('sync-problem')).toContainText('Нет связи с центральным сервисом');
    await screenshot(page, 'outbox-pending-ru');
  } finally {
    await as(page, 'admin');
    await set({ central: { url: '', officeKey: '' } });
  }
});

test('after a lock and a reload, Settings shows its form again, with what changed meanwhile', async ({ page }) => {
  await as(page, 'admin');
  await set({ idleLockMinutes: 15 });
  try {
    await page.goto(`${shell.url}#/settings`);
    await expect(page.getByTestId('idle-lock-minutes')).toHaveValue('15');
    await page.keyboard.press('Control+l');
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await page.getByTestId('unlock-password').fill(DEMO_OPERATOR_PASSWORD);
    await page.getByTestId('unlock-password').press('Enter');
    await expect(page.getByTestId('idle-lock-minutes')).toHaveValue('15');
    await expect(page.getByTestId('sync-status')).toContainText('Локально: сервис не настроен');

    // Locked again without a reload (the frame is kept under the lock screen); another session changes
    // a setting meanwhile; after unlock the form shows it.
    await page.keyboard.press('Control+l');
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    const cookie = shell.cookie;
    shell.cookie = null; // a browser of its own: the page's session stays as it is
    await signInByApi(shell, 'admin');
    await set({ idleLockMinutes: 33 });
    shell.cookie = cookie;
    await page.getByTestId('unlock-password').fill(DEMO_OPERATOR_PASSWORD);
    await page.getByTestId('unlock-password').press('Enter');
    await expect(page.getByTestId('idle-lock-minutes')).toHaveValue('33');
  } finally {
    await as(page, 'admin');
    await set({ idleLockMinutes: 15 });
  }
});
