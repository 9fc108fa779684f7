// The status strip's states told apart (#21.1): no service configured («Локально»), the shell starting
// the service itself («запускается»), configured but no answer yet since the start («подключение…»),
// no answer («нет связи»); never «в сети» before a run said so.
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import type { Fetch } from '../../src-main/services/sync';
import { makeTempDir } from '../helpers/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Nothing answers: every request fails as a refused connection does. */
const unreachable: Fetch = async () => {
  throw new TypeError('fetch failed');
};

function core(): Core {
  const temp = makeTempDir();
  const opened = openCore({ dataDir: temp.dir, shell: 'web', fetch: unreachable });
  cleanups.push(() => {
    opened.close();
    temp.cleanup();
  });
  return opened;
}

describe('the sync status', () => {
  it('says local without a service, and starting while the shell starts one', async () => {
    const desk = core();
    expect(desk.services.sync.status()).toMatchObject({ configured: false, state: 'local' });
    let up!: () => void;
    desk.services.sync.expectService(new Promise<void>((resolve) => (up = resolve)));
    expect(desk.services.sync.status().state).toBe('starting');
    up();
    await new Promise((r) => setTimeout(r, 0));
    expect(desk.services.sync.status().state).toBe('local');
  });

  it('says connecting before the first answer, offline after a run nobody answered, starting meanwhile', async () => {
    const desk = core();
    const set = await desk.services.dispatch('settings.set', {
      central: { url: 'http://127.0.0.1:9', officeKey: 'an-office-key-nobody-has' },
    });
    expect(set.ok).toBe(true);
    expect(desk.services.sync.status()).toMatchObject({ configured: true, state: 'connecting', problem: null });
    expect(await desk.services.sync.syncNow()).toMatchObject({ state: 'offline', problem: { kind: 'unreachable' } });
    let failed!: (e: Error) => void;
    desk.services.sync.expectService(new Promise<void>((_resolve, reject) => (failed = reject)));
    expect(desk.services.sync.status().state).toBe('starting');
    expect((await desk.services.sync.syncNow()).state).toBe('starting');
    failed(new Error('the service did not start'));
    await new Promise((r) => setTimeout(r, 0));
    expect(desk.services.sync.status().state).toBe('offline');
  });
});
