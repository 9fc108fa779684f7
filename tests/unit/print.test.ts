// The desktop's printer (src-main/electron/print.ts) on fakes of Electron's BrowserWindow and
// webContents: no printer → a translated reason; the operator cancelling → no error; success and
// failure → the window destroyed, the temporary copy removed, the failure's reason passed on.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-shared/errors';

type Listener = (...args: unknown[]) => void;
const fake = vi.hoisted(() => ({
  windows: [] as { options: unknown }[],
  partitions: [] as string[],
  permissionRequest: null as null | ((...args: unknown[]) => void),
  permissionCheck: null as null | ((...args: unknown[]) => boolean),
  contentsById: new Map<number, object>(),
  windowOfContents: new Map<object, object>(),
}));

vi.mock('electron', () => ({
  BrowserWindow: Object.assign(
    function BrowserWindow(this: Record<string, unknown>, options: unknown) {
      // Just enough of a window for the printer to find no printer and destroy it.
      let destroyed = false;
      Object.assign(this, {
        options,
        webContents: { getPrintersAsync: async () => [] },
        isDestroyed: () => destroyed,
        destroy: () => (destroyed = true),
      });
      fake.windows.push(this as { options: unknown });
    },
    { fromWebContents: (contents: object) => fake.windowOfContents.get(contents) ?? null },
  ),
  webContents: { fromId: (id: number) => fake.contentsById.get(id) },
  session: {
    fromPartition: (partition: string) => {
      fake.partitions.push(partition);
      return {
        setPermissionRequestHandler: (handler: Listener) => (fake.permissionRequest = handler),
        setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (fake.permissionCheck = handler),
      };
    },
  },
}));

const {
  createPrinter,
  electronPrinter,
  PDF_READY_EVENT,
  PRINT_PARTITION,
  printFileName,
  printWindowOptions,
  webContentsIdOfClient,
} = await import('../../src-main/electron/print');
const { clientOfWindow } = await import('../../src-main/electron/ipc');

interface FakeOptions {
  printers?: { name: string }[];
  /** what the print dialog answers (undefined: it stays open until `answer` is called) */
  result?: [boolean, string];
  /** the PDF viewer reports ready after the load (default true) */
  ready?: boolean;
  loadFails?: boolean;
}

/** A print window whose webContents records what the printer does to it. */
function fakeWindow(options: FakeOptions = {}) {
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string) => [...(listeners.get(event) ?? [])].forEach((l) => l());
  const state = {
    destroyed: false,
    loaded: null as null | { path: string; name: string; bytes: Buffer },
    printOptions: null as unknown,
    printCalledAfterReady: false,
    readyEmitted: false,
    answer: null as null | ((success: boolean, reason: string) => void),
    navigation: null as null | ((event: { preventDefault(): void }) => void),
  };
  const contents = {
    getPrintersAsync: vi.fn(async () => options.printers ?? [{ name: 'Office_HP' }]),
    print: vi.fn((printOptions: unknown, callback: (success: boolean, reason: string) => void) => {
      state.printOptions = printOptions;
      state.printCalledAfterReady = state.readyEmitted;
      state.answer = callback;
      if (options.result) queueMicrotask(() => callback(...options.result!));
    }),
    on: (event: string, listener: (event: { preventDefault(): void }) => void) => {
      if (event === 'will-navigate') state.navigation = listener;
    },
    once: (event: string, listener: Listener) => {
      const wrapped: Listener = (...args) => {
        listeners.get(event)?.delete(wrapped);
        listeners.get(event)?.delete(listener);
        listener(...args);
      };
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(wrapped);
      (wrapped as { original?: Listener }).original = listener;
    },
    removeListener: (event: string, listener: Listener) => {
      for (const l of listeners.get(event) ?? [])
        if (l === listener || (l as { original?: Listener }).original === listener) listeners.get(event)!.delete(l);
    },
    listenerCount: (event: string) => listeners.get(event)?.size ?? 0,
  };
  const window = {
    webContents: contents,
    loadFile: vi.fn(async (path: string) => {
      if (options.loadFails) throw new Error('ERR_FAILED (-2) loading file');
      state.loaded = { path, name: path.split(/[\\/]/).pop()!, bytes: readFileSync(path) };
      if (options.ready !== false)
        setTimeout(() => {
          state.readyEmitted = true;
          emit(PDF_READY_EVENT);
        }, 5);
    }),
    isDestroyed: () => state.destroyed,
    destroy: vi.fn(() => {
      state.destroyed = true;
      emit('destroyed');
    }),
  };
  return { window, contents, state };
}

const PDF = new TextEncoder().encode('%PDF-1.3\n% a statement\n%%EOF\n');
const job = { fileName: 'Расшифровка_123456_2026-10.pdf', bytes: PDF, client: 'window:7' };

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'aquadesk-print-test-'));
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('printing a statement on the desktop', () => {
  it('with no printer installed: a translated reason, nothing loaded, the window destroyed', async () => {
    const { window, state } = fakeWindow({ printers: [] });
    const printer = createPrinter({ createWindow: () => window, tempDir: temp });
    const error = await refusal(printer.print(job));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.details).toEqual({ reason: 'statements.noPrinter' });
    expect(window.loadFile).not.toHaveBeenCalled();
    expect(state.destroyed).toBe(true);
    expect(readdirSync(temp)).toEqual([]);
  });

  it('prints the very PDF through the system dialog once the viewer is ready, then destroys the window and the copy', async () => {
    const { window, state, contents } = fakeWindow({ result: [true, ''] });
    const clients: (string | undefined)[] = [];
    const printer = createPrinter({ createWindow: (client) => (clients.push(client), window), tempDir: temp });
    await expect(printer.print(job)).resolves.toBe('printed');
    expect(clients).toEqual(['window:7']);
    expect(state.loaded!.name).toBe(job.fileName);
    expect(new Uint8Array(state.loaded!.bytes)).toEqual(PDF);
    expect(state.printOptions).toMatchObject({ silent: false });
    expect(state.printOptions).not.toHaveProperty('deviceName'); // the operator picks it in the dialog
    expect(state.printCalledAfterReady).toBe(true);
    expect(state.destroyed).toBe(true);
    expect(existsSync(state.loaded!.path)).toBe(false);
    expect(readdirSync(temp)).toEqual([]);
    expect(contents.listenerCount(PDF_READY_EVENT)).toBe(0);
  });

  it('the operator cancelling the dialog is no error (both of the ways Electron has said it)', async () => {
    for (const reason of ['Print job canceled', 'cancelled']) {
      const { window, state } = fakeWindow({ result: [false, reason] });
      const printer = createPrinter({ createWindow: () => window, tempDir: temp });
      await expect(printer.print(job)).resolves.toBe('cancelled');
      expect(state.destroyed).toBe(true);
    }
    expect(readdirSync(temp)).toEqual([]);
  });

  it('a failed job: its reason passed on, translated by kind; the window destroyed', async () => {
    for (const [failure, reason] of [
      ['Print job failed', 'statements.printFailed'],
      ['Invalid printer settings', 'statements.printSettings'],
    ] as const) {
      const { window, state } = fakeWindow({ result: [false, failure] });
      const printer = createPrinter({ createWindow: () => window, tempDir: temp });
      const error = await refusal(printer.print(job));
      expect(error.details).toEqual({ reason, failureReason: failure });
      expect(error.message).toContain(failure);
      expect(state.destroyed).toBe(true);
    }
    expect(readdirSync(temp)).toEqual([]);
  });

  it('a document the window cannot load: a reason of its own, logged, cleaned up', async () => {
    const { window, state, contents } = fakeWindow({ loadFails: true });
    const log = vi.fn();
    const printer = createPrinter({ createWindow: () => window, tempDir: temp, log });
    expect((await refusal(printer.print(job))).details).toEqual({ reason: 'statements.printNotLoaded' });
    expect(contents.print).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
    expect(state.destroyed).toBe(true);
    expect(readdirSync(temp)).toEqual([]);
  });

  it('a viewer that never reports ready: the dialog opens after the timeout anyway, and says so in the log', async () => {
    const { window } = fakeWindow({ ready: false, result: [true, ''] });
    const log = vi.fn();
    const printer = createPrinter({ createWindow: () => window, tempDir: temp, readyTimeoutMs: 20, log });
    await expect(printer.print(job)).resolves.toBe('printed');
    expect(log.mock.calls[0]![0]).toMatch(/did not report ready/);
  });

  it('one dialog at a time: a second print while one is open is refused, and the next one after works', async () => {
    const first = fakeWindow();
    const second = fakeWindow({ result: [true, ''] });
    const windows = [first.window, second.window];
    const printer = createPrinter({ createWindow: () => windows.shift()!, tempDir: temp });
    const open = printer.print(job);
    await vi.waitFor(() => expect(first.state.answer).not.toBeNull());
    expect((await refusal(printer.print(job))).details).toEqual({ reason: 'statements.printBusy' });
    first.state.answer!(true, '');
    await expect(open).resolves.toBe('printed');
    await expect(printer.print(job)).resolves.toBe('printed');
  });

  it('a window destroyed with its dialog open (its owner closed) settles as not printed', async () => {
    const { window } = fakeWindow();
    const printer = createPrinter({ createWindow: () => window, tempDir: temp });
    const open = printer.print(job);
    await vi.waitFor(() => expect(window.webContents.print).toHaveBeenCalled());
    window.destroy();
    await expect(open).resolves.toBe('cancelled');
  });

  it('after its one load the print window goes nowhere', async () => {
    const { window, state } = fakeWindow({ result: [true, ''] });
    await createPrinter({ createWindow: () => window, tempDir: temp }).print(job);
    const event = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    state.navigation!(event);
    expect(event.prevented).toBe(true);
  });

  it('names the temporary copy safely on every system', () => {
    expect(printFileName('Расшифровка_123456_2026-10.pdf')).toBe('Расшифровка_123456_2026-10.pdf');
    expect(printFileName('a/b\\c:d*e?.pdf')).toBe('a_b_c_d_e_.pdf');
    expect(printFileName('..')).toBe('document.pdf');
    expect(printFileName('Сверка')).toBe('Сверка.pdf');
  });
});

describe('the print window', () => {
  const prefs = printWindowOptions().webPreferences!;

  it('is hidden, sandboxed and isolated, with no preload and no Node, and has the PDF viewer', () => {
    expect(printWindowOptions().show).toBe(false);
    expect(prefs).not.toHaveProperty('preload');
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.devTools).toBe(false);
    expect(prefs.plugins).toBe(true);
  });

  it("lives in a persistent session of its own (none of the app window's, and Electron has no PDF viewer in memory-only ones)", () => {
    expect(prefs.partition).toBe(PRINT_PARTITION);
    expect(PRINT_PARTITION).toMatch(/^persist:/);
  });

  it('belongs to the window that asked, in a session that refuses every permission', async () => {
    const asking = { id: 7 };
    const owner = { name: 'main window' };
    fake.contentsById.set(7, asking);
    fake.windowOfContents.set(asking, owner);
    fake.windows.length = 0;
    const printer = electronPrinter();
    // The fake BrowserWindow finds no printer: the print stops there, after the window was made.
    expect((await refusal(printer.print(job))).details).toEqual({ reason: 'statements.noPrinter' });
    expect((await refusal(printer.print({ ...job, client: 'window:99' }))).details).toEqual({
      reason: 'statements.noPrinter',
    });
    expect(fake.windows.map((w) => (w.options as { parent?: unknown }).parent)).toEqual([owner, undefined]);
    expect(fake.partitions).toEqual([PRINT_PARTITION]); // hardened once
    let granted: boolean | null = null;
    fake.permissionRequest!(null, 'media', (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
    expect(fake.permissionCheck!()).toBe(false);
  });

  it('reads the asking window from the client id the IPC gives each window', () => {
    expect(webContentsIdOfClient(clientOfWindow(42))).toBe(42);
    expect(webContentsIdOfClient('web:abc')).toBeNull();
    expect(webContentsIdOfClient(undefined)).toBeNull();
  });
});
