// Registers one ipcMain.handle per contract operation. Input is validated by the dispatcher;
// calls from any frame other than our own renderer are refused before anything runs.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { operationNames } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { Gate } from '../services/access';
import type { Outcome } from '../services/dispatch';

export const EVENT_CHANNEL = 'aquadesk:event';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** One window, one session: the client a window's calls (and its session's events) belong to. */
export const clientOfWindow = (webContentsId: number): string => `window:${webContentsId}`;

/** Trusts only frames whose URL is the app's own renderer (file:// bundle or the dev server). */
export function rendererOriginCheck(allowedPrefixes: string[]): SenderCheck {
  return (event) => {
    const url = event.senderFrame?.url ?? '';
    return allowedPrefixes.some((prefix) => url.startsWith(prefix));
  };
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  gate: Gate,
  isTrusted: SenderCheck,
): () => void {
  for (const name of operationNames) {
    ipcMain.handle(name, async (event, input: unknown): Promise<Outcome> => {
      if (!isTrusted(event)) return { ok: false, error: new AppError('FORBIDDEN', 'Untrusted sender').toJSON() };
      return gate(name, input, clientOfWindow(event.sender.id)); // the access gate adds that window's operator
    });
  }
  return () => {
    for (const name of operationNames) ipcMain.removeHandler(name);
  };
}
