// Electron's security checklist beyond the window options: what the app does to every web contents
// and to the session (navigation, new windows, <webview>, permissions, the CSP header), checked on
// fakes of Electron's `app` and `session` (no Electron binary needed).
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;
const fake = vi.hoisted(() => ({
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  permissionRequest: null as null | ((...args: unknown[]) => void),
  permissionCheck: null as null | ((...args: unknown[]) => boolean),
  headers: null as null | ((details: unknown, callback: (response: unknown) => void) => void),
}));

vi.mock('electron', () => ({
  app: { on: (name: string, listener: Listener) => fake.appListeners.set(name, listener) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: Listener) => (fake.permissionRequest = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (fake.permissionCheck = handler),
      webRequest: { onHeadersReceived: (handler: typeof fake.headers) => (fake.headers = handler) },
    },
  },
}));

const { hardenContents, hardenSession } = await import('../../src-main/electron/security');
const { RENDERER_CSP } = await import('../../src-main/electron/window');

/** A web contents that records the handlers the app attaches. */
function contents() {
  const on = new Map<string, Listener>();
  let openHandler: ((details: unknown) => { action: string }) | null = null;
  return {
    on: (name: string, listener: Listener) => on.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    fire(name: string, url?: string) {
      const event = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      on.get(name)!(event, url);
      return event.defaultPrevented;
    },
    open: (url: string) => openHandler!({ url }).action,
  };
}

describe('Electron hardening', () => {
  beforeEach(() => fake.appListeners.clear());

  it('keeps every window on the app: no navigation or redirect away, no new windows, no <webview>', () => {
    hardenContents((url) => url.startsWith('file:///app/'));
    const web = contents();
    fake.appListeners.get('web-contents-created')!({}, web);
    expect(web.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(web.fire('will-navigate', 'file:///app/index.html#/search')).toBe(false);
    expect(web.fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(web.open('https://example.kz/')).toBe('deny');
    expect(web.open('file:///app/index.html')).toBe('deny');
    expect(web.fire('will-attach-webview')).toBe(true);
  });

  it('denies every permission request and check, and puts the strict CSP on every response', () => {
    hardenSession();
    const granted: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])
      fake.permissionRequest!({}, permission, (ok: boolean) => granted.push(ok));
    expect(granted).toEqual([false, false, false, false, false]);
    expect(fake.permissionCheck!({}, 'media')).toBe(false);
    let response: { responseHeaders: Record<string, string[]> } | null = null;
    fake.headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (response = r as never));
    expect(response!.responseHeaders['Content-Security-Policy']).toEqual([RENDERER_CSP]);
    expect(response!.responseHeaders['Content-Type']).toEqual(['text/html']);
  });
});
