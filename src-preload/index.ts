// The preload bridge: exposes window.api (call an operation of the contract, subscribe to events)
// and nothing else from Node. Runs sandboxed; bundled as CommonJS by electron-vite.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isOperationName } from '../src-shared/contract';

const EVENT_CHANNEL = 'aquadesk:event';

const api = {
  call(name: string, input: unknown): Promise<unknown> {
    if (!isOperationName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_OPERATION', message: 'Unknown operation' } });
    }
    return ipcRenderer.invoke(name, input);
  },
  onEvent(listener: (name: string, payload: unknown) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped);
  },
};

export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('api', api);
