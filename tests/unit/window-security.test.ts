import { describe, expect, it } from 'vitest';
import { mainWindowOptions, RENDERER_CSP } from '../../src-main/electron/window';

describe('the main window follows Electron security checklist', () => {
  const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;

  it('isolates the renderer: context isolation, sandbox, no Node integration anywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses webviews and insecure content', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('allows no remote content in its Content-Security-Policy', () => {
    expect(RENDERER_CSP).toContain("default-src 'self'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).toContain("object-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/https?:|unsafe-eval|\*/);
  });

  it('fits a 1366×768 office monitor', () => {
    const options = mainWindowOptions('/p');
    expect(options.width).toBeLessThanOrEqual(1366);
    expect(options.height).toBeLessThanOrEqual(768);
  });
});
