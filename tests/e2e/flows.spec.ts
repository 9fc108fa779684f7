// The call-center and counter flows at call speed: Enter acts on the text typed (never on an earlier
// list), readings are never lost by Esc or a tab switch, the value is echoed as read, the meter's
// history and its replacement, the structured form's surname check, and the frame at 1366 × 768.
import type { APIRequestContext } from '@playwright/test';
import { formatReading } from '../../src-shared/readings/format';
import { reasonsFor } from '../helpers/reasons';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { expect, screenshot, test, type Shell, SESSION_COOKIE, readDesk } from './shell';

async function api<T>(request: APIRequestContext, shell: Shell, op: string, input: unknown): Promise<T> {
  const response = await request.post(`${shell.origin}/api/${op}`, {
    data: input,
    headers: {
      Authorization: `Bearer ${shell.token}`,
      ...(shell.cookie ? { cookie: `${SESSION_COOKIE}=${shell.cookie}` } : {}),
    },
  });
  const body = (await response.json()) as { ok: boolean; result: T; error?: unknown };
  if (!body.ok) throw new Error(JSON.stringify(body.error));
  return body.result;
}

function rows<T>(shell: Shell, sql: string, ...params: unknown[]): T[] {
  return readDesk(shell, (db) => {
    return db.prepare(sql).all(...params) as T[];
  });
}

/** One-meter accounts with a previous reading and none this month (Almaty). */
const oneMeter = (shell: Shell, n: number, skip = 0) =>
  rows<{ id: number; number: string }>(
    shell,
    `SELECT a.id, a.number FROM accounts a WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) = 1
       AND NOT EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id AND r.period = strftime('%Y-%m', 'now', '+5 hours'))
       AND EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id)
     ORDER BY a.id DESC LIMIT ? OFFSET ?`,
    n,
    skip,
  );

test('Enter acts on the text typed: 50 calls at 30 ms a key with Enter at once, each opens the account typed', async ({
  page,
  shell,
  request,
}) => {
  test.setTimeout(240_000);
  await api(request, shell, 'settings.set', { callCenterMode: true });
  try {
    const accounts = rows<{ number: string; surname: string }>(
      shell,
      'SELECT a.number, o.surname FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.surname IS NOT NULL AND a.closed_on IS NULL ORDER BY a.id LIMIT 50',
    );
    await page.goto(shell.url);
    const search = page.getByTestId('global-search');
    await expect(search).toBeFocused();
    for (const [i, target] of accounts.entries()) {
      // The previous caller's search, with a row highlighted: what a stale Enter would open.
      await page.keyboard.press('F2');
      await page.keyboard.type(accounts[(i + 1) % accounts.length]!.surname.slice(0, 5), { delay: 10 });
      await expect(page.getByTestId('search-results')).toBeVisible();
      await page.keyboard.press('ArrowDown');
      // The new caller's number at a normal pace, Enter at once.
      await page.keyboard.press('F2');
      await page.keyboard.type(target.number, { delay: 30 });
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('account-strip'), `call ${i + 1}: ${target.number}`).toContainText(
        `Л/с ${target.number}`,
      );
      await page.keyboard.press('F4');
    }
  } finally {
    await api(request, shell, 'settings.set', { callCenterMode: false });
  }
});

test('Esc closes an open drop-down first; leaving with typed readings asks, and staying keeps them', async ({
  page,
  shell,
}) => {
  const [target] = oneMeter(shell, 1);
  await page.goto(`${shell.url}#/account/${target!.id}?tab=readings`);
  const input = page.getByTestId('reading-0');
  await expect(input).toBeFocused();
  await input.fill('1');
  // The kind drop-down open, then Esc: only the list closes.
  await page.locator('[data-field="kind-0"] .n-base-selection').click();
  await expect(page.locator('.n-base-select-menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.n-base-select-menu')).toBeHidden();
  await expect(page.getByTestId('account-strip')).toBeVisible();
  await expect(input).toHaveValue('1');
  // Esc again would leave: it asks; staying (the default) keeps the typed reading.
  await page.keyboard.press('Escape');
  await expect(page.getByText('Показания не переданы')).toBeVisible();
  await expect(page.getByTestId('unsaved-stay')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Показания не переданы')).toBeHidden();
  await expect(input).toHaveValue('1');
  // Another tab asks the same; leaving goes there.
  await page.keyboard.press('Alt+1');
  await expect(page.getByTestId('unsaved-stay')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByText('Показания не переданы')).toBeHidden();
  await expect(page.getByTestId('readings')).toBeVisible();
  await expect(input).toHaveValue('1');
  await page.keyboard.press('Alt+1');
  await page.getByTestId('unsaved-leave').click();
  await expect(page.getByTestId('readings')).toBeHidden();
});

test('the value is echoed as read ("123 45" = 123,45), the format hint is per meter, warnings give the expected consumption and its basis', async ({
  page,
  shell,
  request,
}) => {
  const [, target] = oneMeter(shell, 2);
  const list = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  const meter = list.meters[0]!;
  await page.goto(`${shell.url}#/account/${target!.id}?tab=readings`);
  const input = page.getByTestId('reading-0');
  await expect(input).toBeFocused();
  const previous = meter.previous!.litres;
  const whole = Math.floor(previous / 1000) + 1;
  await page.keyboard.type(`${whole} 5`);
  await expect(page.getByTestId('echo-0')).toContainText(`= ${formatReading(whole * 1000 + 500, meter.format)} м³`);
  await expect(page.getByTestId('echo-0')).toContainText('расход');
  await expect(page.getByTestId('readings-hint')).toContainText(meter.format.fracDigits === 2 ? '00000,00' : '');
  // Far above the expected month: the warning says what was expected, and from what.
  await input.fill(formatReading(previous + (meter.expectedLitres ?? 3_000) * 4, meter.format));
  const warning = page.getByTestId('finding-high').or(page.getByTestId('finding-veryHigh'));
  await expect(warning).toContainText(meter.expectedFrom === 'norm' ? 'по нормативу' : 'в среднем за');
  await screenshot(page, 'readings-echo-ru');
});

test("a meter's history shows a correction with the one it replaced; a replacement is saved as a device change", async ({
  page,
  shell,
  request,
}) => {
  const [target] = oneMeter(shell, 1, 3);
  const list = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  const meter = list.meters[0]!;
  await api(request, shell, 'readings.submit', {
    accountId: target!.id,
    entries: [
      {
        meterId: meter.meterId,
        value: formatReading(meter.previous!.litres + 1_000, meter.format),
        reasons: reasonsFor(list, meter.meterId, meter.previous!.litres + 1_000),
      },
    ],
  });
  await page.goto(`${shell.url}#/account/${target!.id}?tab=readings`);
  await expect(page.getByTestId('reading-0')).toBeFocused();
  await page.keyboard.press('Alt+H');
  const history = page.getByTestId('meter-history');
  await expect(history).toContainText(formatReading(meter.previous!.litres + 1_000, meter.format));
  await expect(history).toContainText('ожидает отправки');
  await expect(history).toContainText(formatReading(meter.previous!.litres, meter.format));
  await screenshot(page, 'readings-history-ru');

  await page.getByTestId('reading-0').focus();
  await page.keyboard.press('Alt+R');
  const dialog = page.getByTestId('replace-dialog');
  await expect(page.getByTestId('replace-final')).toBeFocused();
  await page.keyboard.type(formatReading(meter.previous!.litres + 2_000, meter.format));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('replace-serial')).toBeFocused();
  await page.keyboard.type('12'); // too short
  await page.keyboard.press('Control+Enter');
  await expect(dialog).toContainText('Заводской номер: 4–20 цифр или букв');
  await page.getByTestId('replace-serial').fill('55512345');
  await page.getByTestId('replace-install').fill('0');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Замена счётчика сохранена — ожидает отправки')).toBeVisible();
  await expect(page.getByTestId('replacing-0')).toContainText('№ 55512345');
  await expect(page.getByTestId('replace-0')).toBeDisabled();
});

test("the structured form says when the surname is not the owner's, Esc closes it, Enter in the street goes to «Дом»", async ({
  page,
  shell,
}) => {
  const [target] = rows<{ street: string; kind: string; house: string; apartment: string; surname: string }>(
    shell,
    `SELECT s.name AS street, s.kind, b.house, p.apartment, o.surname FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
       JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id
      WHERE o.surname IS NOT NULL AND o.surname NOT LIKE 'Лебед%' AND p.apartment IS NOT NULL AND p.apartment_prefix IS NULL
        AND (SELECT count(*) FROM premises x WHERE x.building_id = p.building_id AND x.apartment = p.apartment) = 1
        AND (SELECT count(*) FROM streets x WHERE x.name = s.name) = 1 ORDER BY a.id LIMIT 1`,
  );
  await page.goto(shell.url);
  await expect(page.getByTestId('global-search')).toBeFocused();
  // Alt+A is the search screen's key: the frame's search box can be focused before that screen is up.
  await expect(page.getByRole('heading', { name: 'Поиск лицевого счёта' })).toBeVisible();
  await page.keyboard.press('Alt+A');
  await expect(page.getByTestId('form-street')).toBeFocused();
  await page.keyboard.type(target!.street);
  await expect(page.getByText(new RegExp(`^${target!.kind.replace('.', '\\.')} ${target!.street} \\(`))).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('form-house')).toBeFocused();
  await page.keyboard.type(target!.house);
  await page.keyboard.press('Enter');
  await page.keyboard.type(target!.apartment);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Лебедева');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('surname-mismatch')).toContainText(`владелец ${target!.surname}`);
  // An owner written with initials («Шарипов А. Қ.») ends the sentence with one full stop, not two.
  await expect(page.getByTestId('surname-mismatch')).not.toContainText('..');
  await expect(page.getByTestId('account-strip')).toBeHidden();
  await page.getByTestId('form-surname').focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('form-street')).toBeHidden();
});

test('at 1366 × 768 the search box keeps at least 360 px and the key line fits on one line', async ({
  page,
  shell,
}) => {
  const [target] = oneMeter(shell, 1, 5);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${shell.url}#/account/${target!.id}?tab=readings`);
  await expect(page.getByTestId('reading-0')).toBeFocused();
  const width = await page
    .getByTestId('global-search')
    .evaluate((el) => el.closest('.n-input')!.getBoundingClientRect().width);
  expect(width).toBeGreaterThanOrEqual(360);
  // Every hint on the first line of the key line (nothing pushed to the hidden second one).
  const tops = await page
    .getByTestId('keys')
    .locator('span')
    .evaluateAll((spans) => spans.map((s) => Math.round(s.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
  await expect(page.getByTestId('keys')).toContainText('Alt+H');
  await expect(page.getByTestId('keys')).toContainText('Alt+R');
});
