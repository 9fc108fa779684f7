// Opens the app's core (store + services) over a data folder. Used by Electron main, the web
// shell and tests alike, so all three run exactly the same code.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from './store/db';
import type { ServiceContext } from './services/context';
import { EventBus } from './services/events';
import { createServices, type Services } from './services';
import { startMailWorker } from './services/mail';
import { APP_VERSION } from './version';

export interface CoreOptions {
  dataDir: string;
  shell: ServiceContext['shell'];
  now?: () => Date;
  log?: (message: string, error: unknown) => void;
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
  const services = createServices(ctx, options.log);
  const stops: (() => void)[] = [];
  return {
    ctx,
    services,
    db,
    startBackground() {
      stops.push(startMailWorker(services.mail).stop);
    },
    close() {
      for (const stop of stops.splice(0)) stop();
      if (db.open) db.close();
    },
  };
}
