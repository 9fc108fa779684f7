// The whole system from `npm run web`: the desktop beside its embedded central service.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, SESSION_COOKIE, signInByApi, startShell, stopShell, screenshot, withSession, readDesk } from './shell';

test('with the embedded central service the frame goes online, and a reading is sent and accepted', async ({
  page,
  request,
}) => {
  const shell = await startShell({ demo: 300, central: 'embedded' });
  try {
    await withSession(page, shell);
    await page.goto(shell.url);
    const status = page.getByTestId('sync-status');
    await expect(status).toContainText('в сети', { timeout: 45_000 });
    await screenshot(page, 'online-ru');

    // A reading through the API of this very shell, then "sync now" from the outbox screen.
    const api = async (op: string, input: unknown) => {
      const r = await request.post(`${shell.origin}/api/${op}`, {
        data: input,
        headers: { Authorization: `Bearer ${shell.token}`, cookie: `${SESSION_COOKIE}=${shell.cookie}` },
      });
      return ((await r.json()) as { result: Record<string, unknown> }).result;
    };
    const call = async (op: string, input: unknown) => {
      const r = await request.post(`${shell.origin}/api/${op}`, {
        data: input,
        headers: { Authorization: `Bearer ${shell.token}`, cookie: `${SESSION_COOKIE}=${shell.cookie}` },
      });
      return (await r.json()) as { ok: boolean };
    };
    const ids = readDesk(
      shell,
      (db) => db.prepare('SELECT id FROM accounts ORDER BY id LIMIT 300').pluck().all() as number[],
    );
    let submitted = false;
    for (const accountId of ids) {
      const hit = { accountId };
      const list = (await api('readings.list', { accountId: hit.accountId })) as {
        meters: { meterId: number; previous: { litres: number } | null; current: unknown }[];
      };
      const meter = list.meters.length === 1 ? list.meters[0]! : null;
      if (!meter?.previous || meter.current) continue;
      const litres = meter.previous.litres + 3_000;
      const value = `${Math.floor(litres / 1000)},${String(Math.floor((litres % 1000) / 10)).padStart(2, '0')}`;
      // The operator has the account's readings open; the reading goes out in the background and the
      // open screen turns from "ожидает отправки" to "принято" by itself.
      await page.goto(`${shell.url}#/account/${hit.accountId}?tab=readings`);
      await expect(page.getByTestId('reading-0')).toBeVisible();
      // A plausible reading needs no reason (a reason for a finding it does not have is refused): an
      // account where 3 m³ is not plausible is skipped.
      const saved = await call('readings.submit', {
        accountId: hit.accountId,
        entries: [{ meterId: meter.meterId, value, reasons: {} }],
      });
      if (!saved.ok) continue;
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

test('`npm run web` prints its address only when the embedded service answers and the desk has synced, with progress lines before it', async () => {
  const shell = await startShell({ demo: 300, central: 'embedded', signIn: null });
  try {
    // The first sign-in, right as the address appears, is an online one.
    await signInByApi(shell, 'kassa1');
    const session = await api<{ mode: string }>(shell, 'session.get');
    expect(session.result?.mode).toBe('online');
    // And the desk had finished a sync run with the service before the address was printed (the
    // sign-in may have started the next run already: 'syncing' then, with nothing wrong).
    const status = await api<{ state: string; configured: boolean; lastSyncAt: string | null; problem: unknown }>(
      shell,
      'sync.status',
    );
    expect(status.result).toMatchObject({ configured: true, problem: null });
    expect(['online', 'syncing']).toContain(status.result!.state);
    expect(Date.parse(status.result!.lastSyncAt ?? 'never')).toBeLessThanOrEqual(shell.urlAt);
    // Progress lines came first, in the order of the work (whole lines: the output is not a terminal).
    const log = shell.startupLog;
    const order = [/^demo data: \d+%/m, /^central service: seeding/m, /^central service: ready/m, /^first sync/m].map(
      (line) => log.search(line),
    );
    expect(
      order.every((at) => at >= 0),
      log,
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  } finally {
    await stopShell(shell);
  }
});

test('with `--central none` the address comes at once and the desk works alone', async () => {
  const shell = await startShell({ demo: 300, central: 'none', signIn: null });
  try {
    expect(shell.startupLog).not.toMatch(/central service|first sync/);
    await signInByApi(shell, 'kassa1');
    expect((await api<{ mode: string }>(shell, 'session.get')).result?.mode).toBe('offline');
    expect((await api<{ state: string }>(shell, 'sync.status')).result?.state).toBe('local');
  } finally {
    await stopShell(shell);
  }
});

test('when the embedded service cannot start, the address still comes, after the reason, and the desk works offline', async () => {
  // A file where the service's data folder should be: its PGlite cannot open there.
  const dataDir = mkdtempSync(join(tmpdir(), 'aquadesk-e2e-'));
  writeFileSync(join(dataDir, 'central'), 'not a folder');
  const shell = await startShell({ demo: 300, dataDir, central: 'embedded', signIn: null });
  try {
    expect(shell.startupLog).toMatch(
      /^central service: not started, it stopped \(exit code 1\).*The desk works offline/m,
    );
    expect(shell.startupLog).not.toMatch(/^first sync/m);
    await signInByApi(shell, 'kassa1');
    expect((await api<{ mode: string }>(shell, 'session.get')).result?.mode).toBe('offline');
  } finally {
    await stopShell(shell);
  }
});
