// The desktop's printer for statements.print (the port is src-main/services/printing.ts). The main
// window has no PDF viewer (plugins off), so a PDF in one of its frames would only be offered for
// download; the statement is printed instead from a hidden window of its own that shows the very same
// PDF in Chromium's viewer and calls webContents.print with the system's print dialog, where the
// operator chooses the printer (the system's default is preselected).
//
// The print window: sandboxed, context-isolated, no preload, no Node, `plugins: true` (the PDF viewer)
// and a session of its own (`persist:aquadesk-print`): the app session's CSP header would block the
// viewer's frame, and an in-memory session has no PDF viewer in Electron at all. Its one load is
// `loadFile` of a temporary copy of the PDF (a private folder, removed afterwards): a load the main
// process starts emits no `will-navigate`, so the app's navigation rules (security.ts) stay as they
// are, and anything the page itself tries afterwards is refused here. The window is destroyed after
// every print, whatever happened. Electron's objects are reached only through `PrintDeps`, so the
// whole flow is unit-tested with fakes (tests/unit/print.test.ts).
import {
  BrowserWindow,
  session,
  webContents,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebContentsPrintOptions,
} from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors';
import type { PrintJob, StatementPrinter } from '../services/printing';

/** The print window's own persistent session (the PDF viewer needs a persistent one). */
export const PRINT_PARTITION = 'persist:aquadesk-print';
/** How long the PDF viewer may take to be ready before the dialog opens anyway. */
export const PDF_READY_TIMEOUT_MS = 15_000;
/** Emitted (undocumented, used by Electron's own tests) when the PDF viewer has the document loaded. */
export const PDF_READY_EVENT = '-pdf-ready-to-print';

export function printWindowOptions(parent?: BrowserWindow): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 900,
    height: 1200,
    parent,
    title: 'AquaDesk',
    webPreferences: {
      partition: PRINT_PARTITION,
      plugins: true, // Chromium's PDF viewer
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
      backgroundThrottling: false, // hidden, and still has to render the document
    },
  };
}

/** The part of a WebContents the printer uses (a fake in tests). */
export interface PrintContents {
  getPrintersAsync(): Promise<{ name: string }[]>;
  print(options: WebContentsPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }) => void): unknown;
  once(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
}

/** The part of a BrowserWindow the printer uses (a fake in tests). */
export interface PrintWindow {
  webContents: PrintContents;
  loadFile(path: string): Promise<void>;
  isDestroyed(): boolean;
  destroy(): void;
}

export interface PrintDeps {
  /** A hidden print window (with `printWindowOptions`), owned by the window of `client` when there is one. */
  createWindow(client: string | undefined): PrintWindow;
  /** Where the temporary copy of the PDF goes (default: the system's temp folder). */
  tempDir?: string;
  readyTimeoutMs?: number;
  log?: (message: string, error: unknown) => void;
}

/** What the system's print dialog passes the callback when the operator closes it ("Print job canceled", older "cancelled"). */
const isCancel = (failureReason: string) => /cancel/i.test(failureReason);

/** A Windows-, macOS- and Linux-safe file name for the temporary copy (the print job's title). */
export function printFileName(fileName: string): string {
  const safe =
    fileName
      .replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_')
      .replace(/^[.\s]+|[.\s]+$/g, '')
      .slice(0, 120) || 'document';
  return /\.pdf$/i.test(safe) ? safe : `${safe}.pdf`;
}

/** Resolves once the PDF viewer is ready to print, or after `timeoutMs` (then the dialog opens anyway). */
function pdfReady(
  contents: PrintContents,
  timeoutMs: number,
  log: PrintDeps['log'],
): { ready: Promise<void>; cancel(): void } {
  let onReady: () => void = () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    timer = setTimeout(() => {
      contents.removeListener(PDF_READY_EVENT, onReady);
      log?.(`print: the PDF viewer did not report ready within ${timeoutMs} ms; opening the print dialog anyway`, null);
      resolve();
    }, timeoutMs);
    contents.once(PDF_READY_EVENT, onReady);
  });
  return {
    ready,
    cancel() {
      clearTimeout(timer);
      contents.removeListener(PDF_READY_EVENT, onReady);
    },
  };
}

/** The system's print dialog over the print window; settles 'printed', 'cancelled' or throws the failure. */
function printWithDialog(window: PrintWindow): Promise<'printed' | 'cancelled'> {
  return new Promise((resolve, reject) => {
    // The window can go (its owner closed) with the dialog open: the job is then not printed.
    const gone = () => resolve('cancelled');
    window.webContents.once('destroyed', gone);
    window.webContents.print({ silent: false, printBackground: true }, (success, failureReason) => {
      window.webContents.removeListener('destroyed', gone);
      if (success) resolve('printed');
      else if (isCancel(failureReason)) resolve('cancelled');
      else reject(printFailure(failureReason));
    });
  });
}

function printFailure(failureReason: string): AppError {
  const reason = /invalid printer settings/i.test(failureReason)
    ? 'statements.printSettings'
    : 'statements.printFailed';
  return new AppError('UNAVAILABLE', `Printing failed: ${failureReason || 'no reason given'}`, {
    reason,
    failureReason,
  });
}

/** The printer over any window factory: the flow the unit tests drive with fakes. */
export function createPrinter(deps: PrintDeps): StatementPrinter {
  let busy = false;
  return {
    async print(job: PrintJob): Promise<'printed' | 'cancelled'> {
      if (busy) throw new AppError('CONFLICT', 'A print dialog is already open', { reason: 'statements.printBusy' });
      busy = true;
      let window: PrintWindow | undefined;
      let dir: string | undefined;
      try {
        window = deps.createWindow(job.client);
        const printers = await window.webContents.getPrintersAsync();
        if (printers.length === 0)
          throw new AppError('UNAVAILABLE', 'No printer is installed on this computer', {
            reason: 'statements.noPrinter',
          });
        dir = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'aquadesk-print-'));
        const file = join(dir, printFileName(job.fileName));
        await writeFile(file, job.bytes, { mode: 0o600 });
        // After its one load the print window goes nowhere (a link in the PDF, a drop, a script).
        window.webContents.on('will-navigate', (event) => event.preventDefault());
        const viewer = pdfReady(window.webContents, deps.readyTimeoutMs ?? PDF_READY_TIMEOUT_MS, deps.log); // before the load: it can be quick
        try {
          await window.loadFile(file);
        } catch (error) {
          viewer.cancel();
          deps.log?.('print: the print window did not load the PDF', error);
          throw new AppError('UNAVAILABLE', 'The print window did not load the document', {
            reason: 'statements.printNotLoaded',
          });
        }
        await viewer.ready;
        return await printWithDialog(window);
      } catch (error) {
        if (!(error instanceof AppError)) deps.log?.('print', error);
        throw error instanceof AppError
          ? error
          : new AppError('UNAVAILABLE', `Printing failed: ${String(error)}`, { reason: 'statements.printFailed' });
      } finally {
        if (window && !window.isDestroyed()) window.destroy();
        if (dir)
          await rm(dir, { recursive: true, force: true }).catch((error: unknown) =>
            deps.log?.('print: the temporary copy was not removed', error),
          );
        busy = false;
      }
    },
  };
}

/** `window:<webContents id>` (ipc.ts `clientOfWindow`) → that id. */
export function webContentsIdOfClient(client: string | undefined): number | null {
  const match = client ? /^window:(\d+)$/.exec(client) : null;
  return match ? Number(match[1]) : null;
}

/** The print session refuses every permission, as the app's own does (security.ts). */
export function hardenPrintSession(
  printSession: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  printSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  printSession.setPermissionCheckHandler(() => false);
}

/** The printer main.ts gives the core: real BrowserWindows in the print session, owned by the asking window. */
export function electronPrinter(log?: PrintDeps['log']): StatementPrinter {
  let hardened = false;
  return createPrinter({
    log,
    createWindow(client) {
      if (!hardened) {
        hardenPrintSession(session.fromPartition(PRINT_PARTITION));
        hardened = true;
      }
      const id = webContentsIdOfClient(client);
      const asking = id === null ? undefined : webContents.fromId(id);
      const parent = asking ? (BrowserWindow.fromWebContents(asking) ?? undefined) : undefined;
      return new BrowserWindow(printWindowOptions(parent));
    },
  });
}
