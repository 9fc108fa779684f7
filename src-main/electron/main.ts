// Electron main: a table of contents. Create the core, harden, wire IPC, open the window on the
// app:// protocol (never file://).
import { app, BrowserWindow, ipcMain, protocol, safeStorage } from 'electron';
import { join } from 'node:path';
import { openCore, type Core } from '../core';
import { demoAccountsRequested, ensureDemoData } from '../demo-setup';
import demoWorker from '../demo/worker?modulePath';
import syncWorker from '../services/sync-worker?modulePath';
import batchWorker from '../services/debts/batch-worker?modulePath';
import { isFor } from '../services/events';
import { clientOfWindow, EVENT_CHANNEL, registerIpc, rendererOriginCheck } from './ipc';
import { setUpLogging } from './logging';
import { osSecretBox } from './secrets';
import { electronPrinter } from './print'; // statements.print through the system's print dialog
import { APP_INDEX_URL, APP_ORIGIN, registerAppScheme, serveApp } from './protocol';
import { hardenContents, hardenSession } from './security';
import { mainWindowOptions } from './window';

const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererDir = join(__dirname, '../renderer');
const appUrlPrefixes = [devServerUrl ?? `${APP_ORIGIN}/`];
const isAppUrl = (url: string) => appUrlPrefixes.some((prefix) => url.startsWith(prefix));

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Both before ready: every renderer sandboxed, and app:// privileged (standard, secure).
  app.enableSandbox();
  registerAppScheme(protocol);
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  hardenContents(isAppUrl);
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core?.close());
}

async function start(): Promise<void> {
  hardenSession();
  if (!devServerUrl) serveApp(protocol, rendererDir);
  const dataDir = process.env['AQUADESK_DATA_DIR'] ?? app.getPath('userData');
  const log = setUpLogging(join(dataDir, 'logs'));
  const demo = demoAccountsRequested(process.argv, process.env); // 0 unless asked: an install starts empty
  try {
    if (demo > 0) await ensureDemoData(dataDir, { accounts: demo, workerFile: demoWorker });
  } catch (error) {
    log.error('demo data', error); // the app still starts, with an empty store
  }
  core = openCore({
    dataDir,
    shell: 'electron',
    syncWorker,
    batchWorker,
    secretBox: osSecretBox(safeStorage),
    log: (message, error) => log.error(message, error),
    printer: electronPrinter((message, error) => log.error(message, error)),
  });
  core.startBackground();
  registerIpc(ipcMain, core.services.gate, rendererOriginCheck(appUrlPrefixes));
  mainWindow = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.cjs')));
  const window = mainWindow;
  const client = clientOfWindow(window.webContents.id);
  core.ctx.events.subscribe((name, payload, to) => {
    if (!window.isDestroyed() && isFor(to, client)) window.webContents.send(EVENT_CHANNEL, name, payload);
  });
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadURL(APP_INDEX_URL);
}
