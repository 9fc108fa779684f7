// Notes and flags on an account in the web shell: added by keyboard from any tab (Alt+N), shown in the
// header strip on every tab, removed by a supervisor only (asked first, the safe answer the default);
// a counter operator sees them and adds one but has no «Снять».
import { api, expect, screenshot, signInByApi, test, withSession, type Shell, readDesk } from './shell';

/** An open account with no notes yet, a different one per test. */
function freshAccount(shell: Shell, skip: number): number {
  return readDesk(shell, (db) => {
    return db
      .prepare<[number], number>(
        `SELECT a.id FROM accounts a WHERE a.closed_on IS NULL AND NOT EXISTS (SELECT 1 FROM account_notes n WHERE n.account_id = a.id)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.account_id = a.id AND o.name LIKE 'accountNotes.%') ORDER BY a.id DESC LIMIT 1 OFFSET ?`,
      )
      .pluck()
      .get(skip)!;
  });
}

const GUARDIAN = 'Сейітқали Ә. Қ., сын, +7 701 555 12 34';

test('a note added by keyboard is in the strip on every tab; the supervisor removes it after a question', async ({
  page,
  shell,
}) => {
  const accountId = freshAccount(shell, 0);
  await page.goto(`${shell.url}#/account/${accountId}?tab=readings`);
  const strip = page.getByTestId('account-strip');
  await expect(strip).toBeVisible();

  // Alt+N, the kind by arrows, its text, Enter.
  await page.keyboard.press('Alt+n');
  const dialog = page.getByTestId('notes-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('input[type="radio"]:checked')).toBeFocused();
  await page.keyboard.press('ArrowDown'); // «Спорная задолженность» → «Не звонить после 20:00»
  await page.keyboard.press('ArrowDown'); // → «Опекун»
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('note-text')).toBeFocused();
  await page.keyboard.press('Enter'); // no text: said under the field, nothing added
  await expect(dialog).toContainText('Для этой отметки нужен текст');
  await page.keyboard.type(GUARDIAN);
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('note-row-guardian')).toContainText(GUARDIAN);
  await expect(dialog.getByTestId('note-row-guardian')).toContainText('ожидает отправки');
  // A second one by the mouse: a disputed debt, without text.
  await dialog.getByTestId('note-kind-disputedDebt').click();
  await dialog.getByTestId('note-add').click();
  await expect(dialog.getByTestId('note-row-disputedDebt')).toBeVisible();
  await screenshot(page, 'notes-dialog-ru');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // In the strip, on every tab.
  for (const key of ['Alt+1', 'Alt+2', 'Alt+3', 'Alt+4', 'Alt+5', 'Alt+6']) {
    await page.keyboard.press(key);
    await expect(strip.getByTestId('account-note-guardian')).toContainText(`Опекун: ${GUARDIAN}`);
    await expect(strip.getByTestId('account-note-disputedDebt')).toHaveText('Спорная задолженность');
  }
  await page.keyboard.press('Alt+1');
  await screenshot(page, 'notes-ru');

  // The supervisor removes the guardian: asked first, Enter would keep it.
  await strip.getByTestId('account-note-guardian').click();
  await dialog.getByTestId('note-remove-guardian').click();
  await expect(page.getByTestId('note-keep')).toBeFocused();
  await page.getByTestId('note-remove-confirm').click();
  await expect(dialog.getByTestId('note-row-guardian')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(strip.getByTestId('account-note-guardian')).toHaveCount(0);
  await expect(strip.getByTestId('account-note-disputedDebt')).toBeVisible();

  // Written down: who added and removed what.
  const trail = await api<{ entries: { operation: string }[] }>(shell, 'audit.list', { accountId, limit: 20 });
  expect(trail.ok, JSON.stringify(trail.error)).toBe(true);
  expect(
    trail
      .result!.entries.map((e) => e.operation)
      .filter((o) => o.startsWith('accountNotes.'))
      .sort(),
  ).toEqual(['accountNotes.add', 'accountNotes.add', 'accountNotes.remove']);
});

test('a counter operator sees the notes and adds one, but cannot remove one', async ({ page, shell }) => {
  const accountId = freshAccount(shell, 1);
  const added = await api(shell, 'accountNotes.add', { accountId, kind: 'noLateCalls' });
  expect(added.ok, JSON.stringify(added.error)).toBe(true);
  await signInByApi(shell, 'kassa1');
  await withSession(page, shell);
  await page.goto(`${shell.url}#/account/${accountId}`);
  const strip = page.getByTestId('account-strip');
  await expect(strip.getByTestId('account-note-noLateCalls')).toHaveText('Не звонить после 20:00');
  await strip.getByTestId('open-notes').click();
  const dialog = page.getByTestId('notes-dialog');
  await expect(dialog.getByTestId('note-row-noLateCalls')).toBeVisible();
  await expect(dialog.getByTestId('note-remove-noLateCalls')).toHaveCount(0);
  await expect(dialog).toContainText('Снять отметку может только руководитель');
  await dialog.getByTestId('note-kind-note').click();
  await page.getByTestId('note-text').fill('просит присылать расшифровку на почту');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('note-row-note')).toContainText('просит присылать расшифровку на почту');
  // And the gate refuses a removal by API too.
  const list = await api<{ notes: { id: string }[] }>(shell, 'accountNotes.list', { accountId });
  const refused = await api(shell, 'accountNotes.remove', { accountId, noteId: list.result!.notes[0]!.id });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
