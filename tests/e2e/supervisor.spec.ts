// The supervision screens with the embedded central service: the administrator's operators and
// roles, «Проверить связь» in the settings, a rejected reading closed by a supervisor (while an
// operator of the customer desk sees it without the buttons), and the queue of held readings.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
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

async function api<T = unknown>(
  op: string,
  input: unknown = {},
): Promise<{ ok: boolean; result: T; error?: { code: string } }> {
  const response = await fetch(`${shell.origin}/api/${op}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${shell.token}`,
      'content-type': 'application/json',
      ...(shell.cookie ? { cookie: `${SESSION_COOKIE}=${shell.cookie}` } : {}),
    },
    body: JSON.stringify(input),
  });
  return (await response.json()) as { ok: boolean; result: T; error?: { code: string } };
}

/** Signs `login` in with the connection up: operators.* needs the central service's own session. */
async function signInOnline(login: string, page?: Page) {
  await signInByApi(shell, login);
  const session = await api<{ mode: string }>('session.get');
  expect(session.result.mode).toBe('online');
  if (page) await withSession(page, shell);
}

test.beforeAll(async () => {
  test.setTimeout(150_000);
  shell = await startShell({ demo: 300, central: 'embedded', signIn: null });
  // The frame needs a signed-in operator, so the connection is watched through the API: sign in (the
  // service may not be up yet: then it is an offline sign-in), wait for the desktop to be online,
  // then sign in again so the session is the central service's.
  await signInByApi(shell, 'admin');
  await expect
    .poll(async () => (await api<{ state: string }>('sync.status')).result?.state, {
      timeout: 60_000,
      intervals: [500],
    })
    .toBe('online');
  await signInOnline('admin');
});

test.afterAll(async () => {
  await stopShell(shell);
});

// Each test starts as the administrator, online, in a session of its own (whoever the test before
// signed in last); its page has that session (a browser of its own otherwise signs in itself).
test.beforeEach(async ({ page }) => signInOnline('admin', page));

const toast = (page: Page, text: string) => page.locator('.n-message', { hasText: text });

test('the administrator adds an operator (a weak password is refused under the field), then changes the role', async ({
  page,
}) => {
  await page.goto(`${shell.url}#/operators`);
  const table = page.getByTestId('operators-table');
  await expect(table.locator('tr', { hasText: 'senior' })).toContainText('Руководитель');
  await expect(table.locator('tr', { hasText: 'admin' })).toContainText('(вы)');
  await screenshot(page, 'operators-ru');

  // Alt+N, then by keyboard: Enter moves from field to field and adds on the last one.
  await page.keyboard.press('Alt+KeyN');
  const dialog = page.getByTestId('operator-create');
  await expect(page.getByTestId('operator-login')).toBeFocused();
  await page.keyboard.type('kassa3');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('operator-full-name')).toBeFocused();
  await page.keyboard.type('Жумабекова Айгерим Нурлановна');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // the role stays «Абонентский отдел»
  await expect(page.getByTestId('operator-password')).toBeFocused();
  await page.keyboard.type('kassa3pass');
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('Пароль не должен содержать логин');
  await page.getByTestId('operator-password').fill('short1');
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('Пароль короче 8 символов');
  await screenshot(page, 'operators-add-ru');

  // A login that exists is the service's refusal, said under the login.
  await page.getByTestId('operator-login').fill('kassa1');
  await page.getByTestId('operator-password').fill('Vodokanal2026');
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('Такой логин уже есть');

  await page.getByTestId('operator-login').fill('kassa3');
  await page.getByTestId('operator-password').press('Enter');
  await expect(toast(page, 'Оператор kassa3 добавлен')).toBeVisible();
  await expect(dialog).toBeHidden();
  const row = table.locator('tr', { hasText: 'kassa3' });
  await expect(row).toContainText('Жумабекова Айгерим Нурлановна');
  await expect(row).toContainText('Абонентский отдел');
  await expect(row).toContainText('задан');

  await page.getByTestId('operator-edit-kassa3').click();
  const edit = page.getByTestId('operator-edit');
  await expect(page.getByTestId('operator-full-name')).toBeFocused();
  await edit.locator('.n-base-selection').click();
  await page.locator('.n-base-select-option', { hasText: 'Руководитель' }).click();
  await page.getByTestId('operator-edit-submit').click();
  await expect(toast(page, 'Изменения оператора kassa3 сохранены')).toBeVisible();
  await expect(row).toContainText('Руководитель');
  const list = await api<{ operators: { login: string; role: string }[] }>('operators.list');
  expect(list.result.operators.find((o) => o.login === 'kassa3')?.role).toBe('supervisor');

  // Esc closes a dialog without saving.
  await page.getByTestId('operator-edit-kassa3').click();
  await expect(edit).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(edit).toBeHidden();
});

test('«Проверить связь» names the office and its districts, and says which field is wrong', async ({ page }) => {
  await page.goto(`${shell.url}#/settings`);
  await page.getByTestId('central-test').click();
  const result = page.getByTestId('central-test-result');
  await expect(result).toContainText('Связь есть: Демо-отделение');
  await expect(result).toContainText('все районы');

  // The saved key is never shown: it is replaced by typing a new one.
  await expect(page.getByTestId('central-key-kept')).toContainText('задан (…');
  await page.getByTestId('central-key-replace').click();
  await page.getByTestId('central-key').fill('not-the-office-key');
  await page.getByTestId('central-test').click();
  await expect(page.getByText('Центральный сервис не знает этот ключ отделения')).toBeVisible();
  await expect(result).toBeHidden();

  // The idle lock cannot be left empty.
  await page.getByTestId('idle-lock-minutes').fill('');
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Укажите от 1 до 480 минут')).toBeVisible();
  await expect(page.getByTestId('idle-lock-minutes')).toBeFocused();
});

test('a supervisor closes a rejected reading with a note; an operator of the desk sees it without the buttons', async ({
  page,
}) => {
  // A reading the service refused (a closed month), as the sync engine would have marked it. It is
  // written straight into the desktop's outbox: nothing is pushed after it in this test.
  const db = new Database(join(shell.dataDir, 'aquadesk.db'));
  db.pragma('busy_timeout = 5000');
  const meter = db
    .prepare(
      'SELECT m.id, m.account_id AS accountId, m.serial, m.int_digits AS intDigits, m.frac_digits AS fracDigits, a.number FROM meters m JOIN accounts a ON a.id = m.account_id WHERE m.removed_on IS NULL ORDER BY m.id LIMIT 1',
    )
    .get() as { id: number; accountId: number; serial: string; intDigits: number; fracDigits: number; number: string };
  const args = {
    accountId: meter.accountId,
    meterId: meter.id,
    period: '2025-01',
    valueLitres: 123_450,
    readOn: '2025-01-25',
    kind: 'normal',
    reasons: {},
  };
  const at = new Date().toISOString();
  const seq = Number(
    db
      .prepare(
        "INSERT INTO outbox (client_id, name, args, account_id, operator_id, created_at, state, error_code, error_message, sent_at, settled_at) VALUES ('e2e', 'readings.submit', ?, ?, NULL, ?, 'rejected', 'reading.periodClosed', 'The period is closed', ?, ?)",
      )
      .run(JSON.stringify(args), meter.accountId, at, at, at).lastInsertRowid,
  );
  db.close();
  const value = formatReading(args.valueLitres, { intDigits: meter.intDigits, fracDigits: meter.fracDigits });

  await signInOnline('kassa1', page);
  await page.goto(`${shell.url}#/outbox`);
  const rejected = page.getByTestId('rejected');
  await expect(page.getByTestId(`rejected-what-${seq}`)).toHaveText(`Счётчик ${meter.serial}: ${value} за 01.2025`);
  await expect(rejected).toContainText('месяц уже закрыт');
  await expect(page.getByText('Закрывать отклонённые изменения может руководитель или администратор.')).toBeVisible();
  await expect(page.getByTestId(`resolve-${seq}`)).toHaveCount(0);

  // The page would start clean when its operator is signed out by the next sign-in (and that reload
  // could interrupt the navigation below): leave it first, as the operator would hand the desk over.
  await page.goto('about:blank');
  await signInOnline('senior', page);
  await page.goto(`${shell.url}#/outbox`);
  await expect(page.getByTestId(`rejected-what-${seq}`)).toContainText(value);
  await screenshot(page, 'outbox-ru');

  // «Исправить» opens the account's readings.
  await page.getByTestId(`fix-${seq}`).click();
  await expect(page).toHaveURL(new RegExp(`#/account/${meter.accountId}\\?tab=readings`));
  await page.goBack();

  await page.getByTestId(`resolve-${seq}`).click();
  const dialog = page.getByTestId('resolve-dialog');
  await expect(page.getByTestId('resolve-summary')).toContainText(meter.number);
  await page.getByTestId('resolve-submit').click();
  await expect(dialog).toContainText('Выберите решение');
  await page.getByTestId('resolution-dismissed').click();
  await page.getByTestId('resolve-note').fill('Абонент ошибся месяцем; новое показание внесено');
  await page.getByTestId('resolve-note').press('Enter');
  await expect(toast(page, 'Отклонённое изменение закрыто')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('no-rejected')).toBeVisible();

  expect(readDesk(shell, (db) => db.prepare('SELECT state FROM outbox WHERE seq = ?').pluck().get(seq))).toBe(
    'dismissed',
  );
});

test('without the central service the operators screen says the list needs the connection', async ({ page }) => {
  const local = await startShell({ demo: 300, central: 'none', signIn: 'admin' });
  try {
    await withSession(page, local);
    await page.goto(`${local.url}#/operators`);
    const problem = page.getByTestId('operators-problem');
    await expect(problem).toContainText('Нужна связь с центральным сервисом');
    await expect(problem).toContainText('Центральный сервис не настроен');
    await expect(page.getByTestId('operator-add')).toHaveCount(0);
  } finally {
    await stopShell(local);
  }
});

/** Single-meter accounts with a reading history and none this month. */
function singleMeterAccounts(count: number): number[] {
  return readDesk(shell, (db) => {
    return db
      .prepare(
        `SELECT a.id FROM accounts a
          WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) = 1
            AND (SELECT count(*) FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id) >= 3
            AND NOT EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id AND r.period = strftime('%Y-%m', 'now', '+5 hours'))
          ORDER BY a.id DESC LIMIT ?`,
      )
      .pluck()
      .all(count) as number[];
  });
}

test('a supervisor corrects one held reading and refuses another by keyboard, each with a note', async ({ page }) => {
  // A counter operator types two very high readings (eight times the expected): held for a supervisor.
  const accounts = singleMeterAccounts(2);
  await signInOnline('kassa1');
  const typed: { accountId: number; meter: ReadingsList['meters'][number] }[] = [];
  for (const accountId of accounts) {
    const meter = (await api<ReadingsList>('readings.list', { accountId })).result.meters[0]!;
    const raw = meter.previous!.litres + Math.max(50_000, (meter.expectedLitres ?? 5_000) * 8);
    const saved = await api<{ saved: { held: boolean }[] }>('readings.submit', {
      accountId,
      entries: [
        {
          meterId: meter.meterId,
          value: formatReading(raw - (raw % 10), meter.format),
          reasons: { veryHigh: 'leakConfirmed' },
        },
      ],
    });
    expect(saved.result.saved[0]!.held).toBe(true);
    typed.push({ accountId, meter });
  }
  // The queue holds what the service holds: both, once they have synced.
  await page.goto('about:blank');
  await signInOnline('senior', page);
  await expect
    .poll(
      async () => {
        await api('sync.now');
        return (await api<{ readings: unknown[] }>('readings.held', {})).result?.readings?.length;
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBe(2);
  await page.goto(`${shell.url}#/held`);
  const queue = page.getByTestId('held-readings');
  await expect(queue.locator('tbody tr')).toHaveCount(2);
  await expect(queue).toContainText('Сулейменова');
  await screenshot(page, 'held-ru');

  // Alt+E on the selected (first) row: the value to correct has the focus; without a note, no decision.
  await page.keyboard.press('Alt+e');
  const value = page.getByTestId('review-value');
  await expect(value).toBeFocused();
  const first = (await queue.locator('tbody tr').first().textContent())!;
  const corrected = typed.find((x) => first.includes(x.meter.serial))!;
  await value.fill(formatReading(corrected.meter.previous!.litres + 4_000, corrected.meter.format));
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('review-dialog')).toContainText('Напишите пояснение');
  await page.getByTestId('review-note').fill('Перезвонили: ошибся разрядом');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('review-dialog')).toBeHidden();
  await expect(toast(page, 'Решение сохранено')).toBeVisible();
  await expect(queue.locator('tbody tr')).toHaveCount(1);

  // Delete refuses the one left: the note has the focus.
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('review-note')).toBeFocused();
  await page.keyboard.type('Клиент не подтвердил');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('held-empty')).toBeVisible();

  // The decisions, with their notes, are changes of this desk like any other.
  const decisions = readDesk(
    shell,
    (db) => db.prepare("SELECT args FROM outbox WHERE name = 'readings.review' ORDER BY seq").pluck().all() as string[],
  );
  expect(decisions.map((a) => JSON.parse(a) as { decision: string; note: string })).toMatchObject([
    { decision: 'correct', note: 'Перезвонили: ошибся разрядом' },
    { decision: 'refuse', note: 'Клиент не подтвердил' },
  ]);
});
