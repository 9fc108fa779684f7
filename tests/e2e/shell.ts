// Starts the real web shell (`src-main/web-shell/cli.ts`, as `npm run web` does after building) on a
// fresh data folder with demo data, and gives each test the printed URL. The build is done by
// scripts/test.mjs before Playwright runs.
import { test as base, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';

export interface Shell {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** What the shell wrote to stderr before it printed its URL (its progress lines). */
  startupLog: string;
  /** When the URL line arrived (Date.now()). */
  urlAt: number;
  /** The session cookie of the last sign-in by API: pages of the tests get it (each browser has its own session). */
  cookie: string | null;
}

/** The web shell's session cookie (src-main/web-shell/server.ts). */
/**
 * Reads the desk's own database, read-only and closed after (a test finding the demo rows it needs,
 * or checking what a screen saved).
 */
export function readDesk<T>(shell: Pick<Shell, 'dataDir'>, read: (db: Database.Database) => T): T {
  const db = new Database(join(shell.dataDir, 'aquadesk.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export const SESSION_COOKIE = 'aquadesk_session';

/** Gives a page's browser context the session of the last sign-in by API, as if it had signed in itself. */
export async function withSession(page: Page, shell: Pick<Shell, 'origin' | 'cookie'>): Promise<void> {
  if (shell.cookie)
    await page
      .context()
      .addCookies([
        { name: SESSION_COOKIE, value: shell.cookie, url: shell.origin, httpOnly: true, sameSite: 'Strict' },
      ]);
}

function sessionHeaders(shell: Pick<Shell, 'token' | 'cookie'>): Record<string, string> {
  return {
    authorization: `Bearer ${shell.token}`,
    'content-type': 'application/json',
    ...(shell.cookie ? { cookie: `${SESSION_COOKIE}=${shell.cookie}` } : {}),
  };
}

/** Where screenshots go: test-results/screenshots, or docs/screenshots for `npm run docs:screenshots`. */
export const SCREENSHOT_DIR = process.env['SCREENSHOT_DIR'] ?? 'test-results/screenshots';

/** A screenshot for the user guide (and for a person to look at after a run). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Not mid-fade: a dialog, a toast or a dropdown still animating would come out half-transparent.
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
      undefined,
      { timeout: 3000 },
    )
    .catch(() => undefined);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The demo's supervisor: most screens are open to it (sign-in itself is tested in signin.spec.ts). */
export const DEMO_LOGIN = 'senior';

export async function startShell(
  options: { demo?: number; dataDir?: string; central?: 'embedded' | 'none'; signIn?: string | null } = {},
): Promise<Shell> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'aquadesk-e2e-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src-main/web-shell/cli.ts',
      '--data',
      dataDir,
      '--demo',
      String(options.demo ?? 2000),
      '--central',
      options.central ?? 'none',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the web shell did not start in time:\n${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^AquaDesk web shell: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the web shell exited (${code}):\n${stderr}`)));
  });
  const urlAt = Date.now();
  const parsed = new URL(url);
  const shell: Shell = {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    process: child,
    startupLog: stderr,
    urlAt,
    cookie: null,
  };
  const login = options.signIn === undefined ? DEMO_LOGIN : options.signIn;
  if (login) await signInByApi(shell, login);
  return shell;
}

/** Calls an operation of the shell's API (as the renderer does) and returns its outcome. */
export async function api<T = unknown>(
  shell: Pick<Shell, 'origin' | 'token' | 'cookie'>,
  operation: string,
  input: unknown = {},
): Promise<{ ok: boolean; result?: T; error?: { code: string; details?: { reason?: string } } }> {
  const response = await fetch(`${shell.origin}/api/${operation}`, {
    method: 'POST',
    headers: sessionHeaders(shell),
    body: JSON.stringify(input),
  });
  return (await response.json()) as never;
}

/**
 * With the embedded central service: waits until the desktop has synced with it, then signs the
 * operator in again so the session is an online one (actions on web accounts and operators need it).
 */
export async function signInOnline(shell: Pick<Shell, 'origin' | 'token' | 'cookie'>, login: string): Promise<void> {
  await signInByApi(shell, login);
  for (let i = 0; i < 120; i++) {
    const status = await api<{ state: string }>(shell, 'sync.status');
    if (status.result?.state === 'online') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await signInByApi(shell, login);
  const state = await api<{ mode: string }>(shell, 'session.get');
  if (state.result?.mode !== 'online')
    throw new Error(`the central service did not come online: ${JSON.stringify(state)}`);
}

/** Signs a demo operator in on the shell's desktop core, as the sign-in screen would. */
/** Signs a demo operator in by the API, as the sign-in screen would; the shell keeps the session cookie for the pages. */
export async function signInByApi(
  shell: Pick<Shell, 'origin' | 'token' | 'cookie'>,
  login: string,
  password = DEMO_OPERATOR_PASSWORD,
): Promise<void> {
  const response = await fetch(`${shell.origin}/api/session.signIn`, {
    method: 'POST',
    headers: sessionHeaders(shell),
    body: JSON.stringify({ login, password }),
  });
  const body = (await response.json()) as { ok: boolean; error?: unknown };
  if (!body.ok) throw new Error(`sign-in as ${login} failed: ${JSON.stringify(body.error)}`);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
  shell.cookie = cookie ? cookie.slice(SESSION_COOKIE.length + 1).split(';')[0]! : null;
}

export async function stopShell(shell: Shell, removeData = true): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => shell.process.once('exit', (code) => resolve(code)));
  shell.process.kill('SIGINT');
  const code = await exited;
  if (removeData) rmSync(shell.dataDir, { recursive: true, force: true });
  return code;
}

/** A test with one web shell per test file (worker-scoped), started with demo data. */
export const test = base.extend<object, { shell: Shell }>({
  shell: [
    async ({}, use) => {
      const shell = await startShell();
      await use(shell);
      await stopShell(shell);
    },
    { scope: 'worker' },
  ],
  // Each test's page is signed in as the supervisor in a session of its own (its own browser context
  // holds the cookie; the previous test's session is signed out by it), whatever the test before did.
  page: async ({ page, shell }, use) => {
    await signInByApi(shell, DEMO_LOGIN);
    await withSession(page, shell);
    await use(page);
  },
});

export { expect } from '@playwright/test';
