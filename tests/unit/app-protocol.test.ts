// The app:// protocol the Electron window loads the renderer from (src-main/electron/protocol.ts), run
// under plain Node on a renderer folder of its own: it serves only that folder's files, with the CSP,
// to GET and HEAD, and registers the scheme as standard and secure on a fake of Electron's `protocol`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_INDEX_URL,
  APP_SCHEME_PRIVILEGES,
  appRequestHandler,
  fileOfRequest,
  registerAppScheme,
  serveApp,
} from '../../src-main/electron/protocol';
import { demoAccountsRequested } from '../../src-main/demo-setup';
import { RENDERER_CSP_HEADER, RENDERER_CSP_META } from '../../src-shared/csp';

let root = '';
let outside = '';
beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'aquadesk-protocol-'));
  root = join(base, 'renderer');
  outside = join(base, 'secret.txt');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>AquaDesk</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(outside, 'the office key');
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

const get = (url: string, method = 'GET') => appRequestHandler(root)(new Request(url, { method }));

describe('the app:// protocol', () => {
  it('serves the built renderer with its type, the CSP and nosniff', async () => {
    const index = await get(APP_INDEX_URL);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>AquaDesk</title>');
    expect((await get('app://aquadesk/')).status).toBe(200); // the folder's index
    const script = await get('app://aquadesk/assets/app.js?v=1#x');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://aquadesk/assets/font.woff2')).headers.get('content-type')).toBe('font/woff2');
    const head = await get('app://aquadesk/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves nothing outside the renderer folder, of another host, or to other methods', async () => {
    for (const url of [
      'app://aquadesk/../secret.txt',
      'app://aquadesk/%2e%2e/secret.txt',
      'app://aquadesk/assets/..%2f..%2fsecret.txt',
      'app://aquadesk/assets/..%5c..%5csecret.txt',
      'app://aquadesk/index.html%00.js',
      'app://aquadesk/%E0%A4%A',
      'app://evil/index.html',
      'app://aquadesk/missing.js',
      'app://aquadesk/assets',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('office key');
    }
    expect(fileOfRequest(root, 'app://aquadesk/../secret.txt')).toBe(join(root, 'secret.txt')); // the URL itself resolves inside
    expect(fileOfRequest(root, 'file:///etc/passwd')).toBeNull();
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(405);
  });

  it('registers app:// as standard and secure (not CSP-bypassing) and handles it on the fake protocol', async () => {
    const registered: unknown[] = [];
    const handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
    const protocol = {
      registerSchemesAsPrivileged: (schemes: unknown[]) => registered.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) =>
        handlers.set(scheme, handler),
    };
    registerAppScheme(protocol);
    serveApp(protocol, root);
    expect(registered).toEqual([APP_SCHEME_PRIVILEGES]);
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
    const response = await handlers.get('app')!(new Request(APP_INDEX_URL));
    expect(response.status).toBe(200);
  });

  it('the <meta> CSP is the header without what a meta cannot carry', () => {
    expect(RENDERER_CSP_HEADER.startsWith(RENDERER_CSP_META)).toBe(true);
    expect(RENDERER_CSP_META).not.toContain('frame-ancestors');
    expect(RENDERER_CSP_META).toContain("script-src 'self'");
  });
});

describe('demo data at a desktop start', () => {
  it('is none unless asked for with --demo or AQUADESK_DEMO', () => {
    expect(demoAccountsRequested(['electron', '.'], {})).toBe(0);
    expect(demoAccountsRequested(['electron', '.', '--demo'], {})).toBe(20_000);
    expect(demoAccountsRequested(['electron', '.', '--demo=500'], {})).toBe(500);
    expect(demoAccountsRequested([], { AQUADESK_DEMO: '3000' })).toBe(3000);
    expect(demoAccountsRequested([], { AQUADESK_DEMO: '' })).toBe(0);
    expect(demoAccountsRequested([], { AQUADESK_DEMO: 'lots' })).toBe(0);
    expect(demoAccountsRequested(['--demo=-5'], {})).toBe(0);
  });
});
