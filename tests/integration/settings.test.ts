import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { settingsDefaults } from '../../src-shared/schemas/settings';

/** The defaults as a window sees them (no secrets: only whether one is set). */
const defaultView = { ...settingsDefaults, smtp: null, central: { url: '', officeKeySet: false, officeKeyHint: null } };
import { makeTempDir } from '../helpers/tmp';

let temp: ReturnType<typeof makeTempDir>;
let core: Core;
afterEach(() => {
  core?.close();
  temp?.cleanup();
});

function open(): Core {
  core = openCore({ dataDir: temp.dir, shell: 'web' });
  return core;
}

describe('settings', () => {
  it('starts with the defaults and keeps what was saved across restarts', async () => {
    temp = makeTempDir();
    open();
    const first = await core.services.dispatch('settings.get', {});
    expect(first).toEqual({ ok: true, result: { settings: defaultView, ignored: [], secretsProtected: false } });
    const saved = await core.services.dispatch('settings.set', { language: 'kk', callCenterMode: true });
    expect(saved.ok).toBe(true);
    core.close();
    open();
    const again = await core.services.dispatch('settings.get', {});
    expect(
      again.ok && (again.result as { settings: { language: string; callCenterMode: boolean } }).settings,
    ).toMatchObject({ language: 'kk', callCenterMode: true });
  });

  it('refuses an invalid value with the failing field and changes nothing', async () => {
    temp = makeTempDir();
    open();
    const outcome = await core.services.dispatch('settings.set', { language: 'de', idleLockMinutes: 5 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('VALIDATION');
      expect(outcome.error.details).toMatchObject({ fields: [expect.objectContaining({ path: 'language' })] });
    }
    const after = await core.services.dispatch('settings.get', {});
    expect(after.ok && (after.result as { settings: { idleLockMinutes: number } }).settings.idleLockMinutes).toBe(15);
  });

  it('starts with the default for a setting edited by hand into nonsense and says which one it ignored', async () => {
    temp = makeTempDir();
    open();
    core.db
      .prepare(
        "INSERT INTO settings (key, value) VALUES ('readingThresholds', '{\"highPercent\": \"lots\"}'), ('language', 'not json')",
      )
      .run();
    const outcome = await core.services.dispatch('settings.get', {});
    expect(outcome).toEqual({
      ok: true,
      result: { settings: defaultView, ignored: ['language', 'readingThresholds'], secretsProtected: false },
    });
  });

  it('announces a change to every listener', async () => {
    temp = makeTempDir();
    open();
    const seen: string[] = [];
    core.ctx.events.subscribe((name) => seen.push(name));
    await core.services.dispatch('settings.set', { idleLockMinutes: 30 });
    expect(seen).toEqual(['settings.changed']);
  });
});
