// Readings in the web shell: the call-center flow by keyboard only, the partial-entry question, and
// a bad format that is explained and saves nothing.
import type { APIRequestContext } from '@playwright/test';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { expect, test, type Shell, screenshot, SESSION_COOKIE, readDesk } from './shell';

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

/** Accounts with `meters` active meters, each with a previous reading and none this month yet (skipping `skip` of them). */
function accountsWith(shell: Shell, meters: number, count: number): { id: number; number: string }[] {
  return readDesk(shell, (db) => {
    return db
      .prepare(
        `SELECT a.id, a.number FROM accounts a
          WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) = ?
            AND NOT EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id WHERE m.account_id = a.id AND r.period = strftime('%Y-%m', 'now', '+5 hours'))
            AND NOT EXISTS (SELECT 1 FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id))
          ORDER BY a.id LIMIT ?`,
      )
      .all(meters, count) as { id: number; number: string }[];
  });
}

/** A plausible reading for each meter: the previous one plus the expected consumption. */
function plausible(list: ReadingsList): string[] {
  return list.meters.map((m) => {
    const step = 10 ** (3 - m.format.fracDigits);
    const used = Math.max(step, Math.round((m.expectedLitres ?? 3000) / step) * step);
    return formatReading(m.previous!.litres + used, m.format).replace(/^0+(?=\d)/, '');
  });
}

// Call-center mode (the first test turns it on) off again after every test, even one that failed half-way.
test.afterEach(async ({ shell, request }) => {
  await api(request, shell, 'settings.set', { callCenterMode: false });
});

test('call-center flow by keyboard only: number, Enter, readings with Enter, back to search, F4', async ({
  page,
  shell,
  request,
}) => {
  await api(request, shell, 'settings.set', { callCenterMode: true });
  const [target] = accountsWith(shell, 2, 1);
  const list = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  const values = plausible(list);

  await page.goto(shell.url);
  const search = page.getByTestId('global-search');
  await expect(search).toBeFocused();
  let keystrokes = 0;
  const type = async (text: string) => {
    await page.keyboard.type(text);
    keystrokes += [...text].length;
  };
  const press = async (key: string) => {
    await page.keyboard.press(key);
    keystrokes += 1;
  };

  await type(target!.number);
  await press('Enter');
  await expect(page.getByTestId('reading-0')).toBeFocused();
  await type(values[0]!);
  await expect(page.getByTestId('consumption-0')).not.toHaveText('');
  await press('Enter');
  await expect(page.getByTestId('reading-1')).toBeFocused();
  await type(values[1]!);
  await press('Enter');
  await expect(page.getByText('Показания сохранены — ожидают отправки')).toBeVisible();
  await expect(search).toBeFocused();
  console.log(`[call-center flow] ${keystrokes} keystrokes for account ${target!.number} with 2 meters`);

  const after = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  expect(after.meters.map((m) => m.current?.state)).toEqual(['pending', 'pending']);
  expect(after.meters.map((m) => formatReading(m.current!.litres, m.format).replace(/^0+(?=\d)/, ''))).toEqual(values);

  // F4: the next call starts clean.
  await search.fill('что-то');
  await press('F4');
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();
});

test('partial entry asks first: Esc (Cancel) saves nothing, Enter (OK) saves', async ({ page, shell, request }) => {
  const [, target] = accountsWith(shell, 2, 2);
  const list = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  const [first] = plausible(list);
  await page.goto(`${shell.url}#/account/${target!.id}?tab=readings`);
  await expect(page.getByTestId('reading-0')).toBeFocused();
  await page.keyboard.type(first!);
  await page.keyboard.press('Enter'); // to the second meter
  await page.keyboard.press('Enter'); // nothing typed there: send → the question
  const dialog = page.getByTestId('partial-dialog');
  await expect(dialog).toContainText('Передать показания только по одному счётчику?');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  let state = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  expect(state.meters.map((m) => m.current)).toEqual([null, null]);

  await page.getByTestId('readings-send').click();
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('partial-ok')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Показания сохранены — ожидают отправки')).toBeVisible();
  state = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  expect(state.meters.map((m) => m.current?.state ?? null)).toEqual(['pending', null]);
});

test('a bad format is explained under the field and saves nothing; a lower reading asks for the kind', async ({
  page,
  shell,
  request,
}) => {
  const [target] = accountsWith(shell, 1, 1);
  const list = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  await page.goto(`${shell.url}#/account/${target!.id}?tab=readings`);
  const input = page.getByTestId('reading-0');
  await expect(input).toBeFocused();
  for (const [text, messageText] of [
    ['12а,45', 'Только цифры и запятая'],
    ['123456', 'Слишком много цифр до запятой'],
    ['123,456', 'Слишком много цифр после запятой'],
    ['-5', 'не может быть отрицательным'],
  ] as const) {
    await input.fill(text);
    await expect(page.getByTestId('reading-error')).toContainText(messageText);
    await input.press('Enter');
  }
  await page.getByTestId('readings-send').click();
  await expect(page.getByText('Проверьте выделенные поля')).toBeVisible();
  const state = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  expect(state.meters[0]!.current).toBeNull();

  // Lower than the previous reading: refused until the kind says why.
  const lower = formatReading(Math.max(0, list.meters[0]!.previous!.litres - 10_000), list.meters[0]!.format);
  await input.fill(lower);
  await expect(page.getByTestId('finding-lowerThanPrevious')).toBeVisible();
  await input.press('Enter');
  await expect(page.locator('[data-field="kind-0"] .n-base-selection-label')).toBeFocused();
  // Choose "rolled over zero" by keyboard: the reading is no longer refused for being lower.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('finding-lowerThanPrevious')).toBeHidden();
  await screenshot(page, 'readings-ru');
});

test('a finding that needs a reason: Enter goes to the reason, one picked by keyboard moves on to the next meter, and it is saved with the reading', async ({
  page,
  shell,
  request,
}) => {
  const [target] = accountsWith(shell, 2, 1);
  const list = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  await page.goto(`${shell.url}#/account/${target!.id}?tab=readings`);
  const first = page.getByTestId('reading-0');
  await expect(first).toBeFocused();
  // The same value as last time: nothing used, which needs a reason («никого не было дома», …).
  await first.fill(formatReading(list.meters[0]!.previous!.litres, list.meters[0]!.format));
  await expect(page.getByTestId('finding-zero')).toBeVisible();
  await first.press('Enter');
  const reason = page.locator('[data-field="reason-0"]');
  await expect(reason.locator('.n-base-selection')).toHaveClass(/n-base-selection--focus/);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(reason).toContainText('отсутствие проживающих');
  await expect(page.getByTestId('reading-1')).toBeFocused();
  await page.keyboard.type(plausible(list)[1]!);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Показания сохранены')).toBeVisible();
  const saved = await api<ReadingsList>(request, shell, 'readings.list', { accountId: target!.id });
  expect(saved.meters.map((m) => m.current?.litres)).toEqual([list.meters[0]!.previous!.litres, expect.any(Number)]);
  // The reason travels with the reading (its outbox change, as the service will get it).
  const args = readDesk(
    shell,
    (db) =>
      db
        // The newest (an earlier test of this file may have entered this meter too).
        .prepare(
          "SELECT args FROM outbox WHERE name = 'readings.submit' AND json_extract(args, '$.meterId') = ? ORDER BY seq DESC LIMIT 1",
        )
        .pluck()
        .get(list.meters[0]!.meterId) as string,
  );
  expect(args).toContain('"reasons":{"zero":"absence"}');
});
