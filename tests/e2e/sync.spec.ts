// The whole system from `npm run web`: the desktop beside its embedded central service.
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SESSION_COOKIE, startShell, stopShell, screenshot, withSession } from './shell';

test('with the embedded central service the frame goes online, and a reading is sent and accepted', async ({ page, request }) => {
  const shell = await startShell({ demo: 300, central: 'embedded' });
  try {
    await withSession(page, shell);
    await page.goto(shell.url);
    const status = page.getByTestId('sync-status');
    await expect(status).toContainText('в сети', { timeout: 45_000 });
    await screenshot(page, 'online-ru');

    // A reading through the API of this very shell, then "sync now" from the outbox screen.
    const api = async (op: string, input: unknown) => {
      const r = await request.post(`${shell.origin}/api/${op}`, { data: input, headers: { Authorization: `Bearer ${shell.token}`, cookie: `${SESSION_COOKIE}=${shell.cookie}` } });
      return ((await r.json()) as { result: Record<string, unknown> }).result;
    };
    const db = new Database(join(shell.dataDir, 'aquadesk.db'), { readonly: true });
    const ids = db.prepare('SELECT id FROM accounts ORDER BY id LIMIT 300').pluck().all() as number[];
    db.close();
    let submitted = false;
    for (const accountId of ids) {
      const hit = { accountId };
      const list = (await api('readings.list', { accountId: hit.accountId })) as { meters: { meterId: number; previous: { litres: number } | null; current: unknown }[] };
      const meter = list.meters.length === 1 ? list.meters[0]! : null;
      if (!meter?.previous || meter.current) continue;
      const litres = meter.previous.litres + 3_000;
      const value = `${Math.floor(litres / 1000)},${String(Math.floor((litres % 1000) / 10)).padStart(2, '0')}`;
      // The operator has the account's readings open; the reading goes out in the background and the
      // open screen turns from "ожидает отправки" to "принято" by itself.
      await page.goto(`${shell.url}#/account/${hit.accountId}?tab=readings`);
      await expect(page.getByTestId('reading-0')).toBeVisible();
      await api('readings.submit', { accountId: hit.accountId, entries: [{ meterId: meter.meterId, value, reasons: { high: 'guests', low: 'customerConfirmed', veryHigh: 'supervisorApproved' } }] });
      await expect(page.getByTestId('meter-0')).toContainText('принято', { timeout: 30_000 });
      submitted = true;
      break;
    }
    expect(submitted).toBe(true);
    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('outbox-summary')).toContainText('Ожидают отправки: 0');
    await expect(status).toContainText('в сети');
  } finally {
    await stopShell(shell);
  }
});
