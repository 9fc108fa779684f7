import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { registerIpc, rendererOriginCheck } from '../../src-main/electron/ipc';
import type { Gate } from '../../src-main/services/access';
import { operationNames } from '../../src-shared/contract';

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const eventFrom = (url: string, windowId = 1) =>
  ({ senderFrame: { url }, sender: { id: windowId } }) as unknown as IpcMainInvokeEvent;

describe('Electron IPC wiring', () => {
  it('registers one handler per operation of the contract and removes them all', () => {
    const ipc = fakeIpcMain();
    const dispose = registerIpc(ipc as never, (async () => ({ ok: true, result: null })) as Gate, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual([...operationNames].sort());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes calls from the app renderer to the dispatcher and refuses any other sender untouched', async () => {
    const ipc = fakeIpcMain();
    const calls: unknown[] = [];
    const dispatch: Gate = async (name, input, client) => {
      calls.push([name, input, client]);
      return { ok: true, result: 'done' };
    };
    registerIpc(ipc as never, dispatch, rendererOriginCheck(['file:///opt/AquaDesk/resources/app.asar/out/renderer/']));
    const handler = ipc.handlers.get('settings.get')!;
    expect(await handler(eventFrom('file:///opt/AquaDesk/resources/app.asar/out/renderer/index.html'), {})).toEqual({
      ok: true,
      result: 'done',
    });
    expect(await handler(eventFrom('https://evil.example/'), {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await handler(eventFrom('file:///tmp/other.html'), {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // Each window is its own client (its own operator session).
    expect(
      await handler(eventFrom('file:///opt/AquaDesk/resources/app.asar/out/renderer/index.html', 7), { x: 1 }),
    ).toEqual({ ok: true, result: 'done' });
    expect(calls).toEqual([
      ['settings.get', {}, 'window:1'],
      ['settings.get', { x: 1 }, 'window:7'],
    ]);
  });
});
