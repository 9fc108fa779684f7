// The Electron window's renderer, served by the very handler of the app:// protocol
// (src-main/electron/protocol.ts) on a non-file origin, boots in Chromium: the module scripts load
// under the CSP, the sign-in screen comes, an operator signs in through a bridge like the preload's.
// Over file:// the same build stays blank (origin 'null': every module refused), which is why the
// window does not use loadFile.
import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_ORIGIN, appRequestHandler } from '../../src-main/electron/protocol';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { startShell, stopShell, type Shell } from './shell';

const RENDERER = resolve('out/renderer');
let shell: Shell;
let server: Server;
let origin = '';

test.beforeAll(async () => {
  shell = await startShell({ demo: 300, central: 'none', signIn: null });
  const handler = appRequestHandler(RENDERER);
  // Chromium cannot be given app:// here, so plain HTTP carries each request to the handler as the
  // Request Electron would pass it (app://aquadesk/<path>), and its Response back. /api/* stands for
  // the IPC the preload bridge would do: it goes to a real web shell's services.
  server = createServer(async (req, res) => {
    try {
      if (req.url!.startsWith('/api/')) {
        const body = await new Promise<Buffer>((done) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(Buffer.concat(chunks)));
        });
        const answer = await fetch(`${shell.origin}${req.url}`, {
          method: req.method,
          headers: {
            authorization: `Bearer ${shell.token}`,
            'content-type': 'application/json',
            cookie: req.headers.cookie ?? '',
          },
          body: req.method === 'POST' ? body.toString('utf8') : undefined,
        });
        const cookie = answer.headers.get('set-cookie');
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(cookie ? { 'set-cookie': cookie } : {}),
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      }
      const response = await handler(new Request(`${APP_ORIGIN}${req.url}`, { method: req.method }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((done) => server?.close(done));
  await stopShell(shell);
});

test('the renderer served by the app:// handler boots on its own origin, under its CSP, and an operator signs in', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  // What the sandboxed preload exposes (window.api): calls, and events (none needed here).
  await page.addInitScript(() => {
    (window as unknown as { api: unknown }).api = {
      call: async (name: string, input: unknown) =>
        (
          await fetch(`/api/${name}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(input ?? {}),
          })
        ).json(),
      onEvent: () => () => undefined,
    };
  });
  const index = await page.goto(`${origin}/index.html`);
  expect(index!.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByTestId('signin')).toBeVisible();
  await expect(page.getByTestId('signin')).toContainText('Вход в AquaDesk');
  await page.getByTestId('signin-login').fill('kassa1');
  await page.getByTestId('signin-password').fill(DEMO_OPERATOR_PASSWORD);
  await page.getByTestId('signin-password').press('Enter');
  await expect(page.getByTestId('global-search')).toBeVisible();
  await expect(page.getByTestId('global-search')).toBeFocused();
  expect(problems.filter((p) => /CORS|Content Security Policy|Failed to load/i.test(p))).toEqual([]);
});

test('over file:// the same build stays blank: its module scripts are refused', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(pathToFileURL(resolve(RENDERER, 'index.html')).href);
  await page.waitForTimeout(1000);
  expect(await page.locator('#app').innerHTML()).toBe('');
  expect(problems.join('\n')).toMatch(/CORS|origin 'null'/);
});
