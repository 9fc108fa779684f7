// Opens the app's core (store + services) over a data folder. Used by Electron main, the web
// shell and tests alike, so all three run exactly the same code.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from './store/db';
import { secretsOf, type SecretBox } from './store/repos/secrets';
import type { ServiceContext } from './services/context';
import { EventBus } from './services/events';
import { createServices, type Services } from './services';
import type { StatementPrinter } from './services/printing';
import { startMailWorker } from './services/mail/worker';
import { startSyncLoop, type Fetch } from './services/sync';
import { APP_VERSION } from './version';

export interface CoreOptions {
  dataDir: string;
  shell: ServiceContext['shell'];
  now?: () => Date;
  log?: (message: string, error: unknown) => void;
  /** How the sync engine reaches the central service (tests inject a failing or counting one). */
  fetch?: Fetch;
  /** Rows per pull page (tests use small pages to see several). */
  pullPageSize?: number;
  /** The sync page worker (see services/sync-worker.ts); the web shell and Electron pass it. */
  syncWorker?: string | URL;
  /** The batch-PDF worker (services/debts/batch-worker.ts); Electron passes the built one. */
  batchWorker?: string | URL;
  /** How secrets are sealed at rest: Electron passes the operating system's (safeStorage); plain otherwise. */
  secretBox?: SecretBox;
  /** The shell's printer: Electron passes its print dialog (electron/print.ts); none in the web shell. */
  printer?: StatementPrinter;
}

export interface Core {
  ctx: ServiceContext;
  services: Services;
  db: Db;
  /** Starts background work (mail delivery; later sync). Tests drive it by hand instead. */
  startBackground(): void;
  close(): void;
}

export const DATABASE_FILE_NAME = 'aquadesk.db';

export function databaseFileIn(dataDir: string): string {
  return join(dataDir, DATABASE_FILE_NAME);
}

export function openCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const logDir = join(options.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const databaseFile = databaseFileIn(options.dataDir);
  const db = openDb(databaseFile);
  const secrets = secretsOf(db, options.secretBox);
  if (!secrets.protected)
    options.log?.(
      'secrets are stored unencrypted in this data folder (no operating-system encryption in this shell)',
      null,
    );
  const ctx: ServiceContext = {
    db,
    dataDir: options.dataDir,
    databaseFile,
    logDir,
    shell: options.shell,
    version: APP_VERSION,
    events: new EventBus(),
    now: options.now ?? (() => new Date()),
  };
  const mutationListeners = new Set<(name: string) => void>();
  const services = createServices(ctx, {
    log: options.log,
    fetch: options.fetch,
    pullPageSize: options.pullPageSize,
    syncWorker: options.syncWorker,
    batchWorker: options.batchWorker,
    printer: options.printer,
    afterMutation: (name) => mutationListeners.forEach((l) => l(name)),
  });
  const stops: (() => void)[] = [];
  return {
    ctx,
    services,
    db,
    startBackground() {
      stops.push(startMailWorker(services.mail).stop);
      const loop = startSyncLoop(services.sync);
      stops.push(loop.stop);
      // A local change (an outbox write) is pushed soon, not at the next tick.
      const kick = (name: string) => name !== 'sync.now' && loop.kick();
      mutationListeners.add(kick);
      stops.push(() => mutationListeners.delete(kick));
    },
    close() {
      for (const stop of stops.splice(0)) stop();
      services.sync.close();
      if (db.open) db.close();
    },
  };
}
