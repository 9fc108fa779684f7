// Registers one ipcMain.handle per contract operation. Input is validated by the dispatcher;
// calls from any frame other than our own renderer are refused before anything runs.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { operationNames } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { Dispatcher, Outcome } from '../services/dispatch';

export const EVENT_CHANNEL = 'aquadesk:event';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Trusts only frames whose URL is the app's own renderer (file:// bundle or the dev server). */
export function rendererOriginCheck(allowedPrefixes: string[]): SenderCheck {
  return (event) => {
    const url = event.senderFrame?.url ?? '';
    return allowedPrefixes.some((prefix) => url.startsWith(prefix));
  };
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatcher, isTrusted: SenderCheck): () => void {
  for (const name of operationNames) {
    ipcMain.handle(name, async (event, input: unknown): Promise<Outcome> => {
      if (!isTrusted(event)) return { ok: false, error: new AppError('FORBIDDEN', 'Untrusted sender').toJSON() };
      return dispatch(name, input); // the access gate adds the signed-in operator
    });
  }
  return () => {
    for (const name of operationNames) ipcMain.removeHandler(name);
  };
}
