import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { registerIpc, rendererOriginCheck } from '../../src-main/electron/ipc';
import type { Dispatcher } from '../../src-main/services/dispatch';
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

const eventFrom = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;

describe('Electron IPC wiring', () => {
  it('registers one handler per operation of the contract and removes them all', () => {
    const ipc = fakeIpcMain();
    const dispose = registerIpc(ipc as never, (async () => ({ ok: true, result: null })) as Dispatcher, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual([...operationNames].sort());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes calls from the app renderer to the dispatcher and refuses any other sender untouched', async () => {
    const ipc = fakeIpcMain();
    const calls: unknown[] = [];
    const dispatch: Dispatcher = async (name, input) => {
      calls.push([name, input]);
      return { ok: true, result: 'done' };
    };
    registerIpc(ipc as never, dispatch, rendererOriginCheck(['file:///opt/AquaDesk/resources/app.asar/out/renderer/']));
    const handler = ipc.handlers.get('settings.get')!;
    expect(await handler(eventFrom('file:///opt/AquaDesk/resources/app.asar/out/renderer/index.html'), {})).toEqual({ ok: true, result: 'done' });
    expect(await handler(eventFrom('https://evil.example/'), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handler(eventFrom('file:///tmp/other.html'), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toEqual([['settings.get', {}]]);
  });
});
