// app.info: what the About dialog shows.
import { statSync } from 'node:fs';
import type { AppInfo } from '../../src-shared/schemas/app';
import { SCHEMA_VERSION } from '../store/db';
import type { ServiceContext } from './context';

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function createAppService(ctx: ServiceContext) {
  const countAccounts = ctx.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts');
  const demo = ctx.db.prepare<[], number>("SELECT count(*) FROM sync_state WHERE key = 'demo'").pluck();
  return {
    info(): AppInfo {
      const file = ctx.databaseFile;
      return {
        name: 'AquaDesk',
        version: ctx.version,
        shell: ctx.shell,
        dataDir: ctx.dataDir,
        databaseFile: file,
        // The WAL holds committed pages not yet checkpointed: count it, or the size lies.
        databaseBytes: fileBytes(file) + fileBytes(`${file}-wal`),
        schemaVersion: SCHEMA_VERSION,
        accounts: countAccounts.get()!.n,
        runtime: {
          node: process.versions.node,
          electron: process.versions.electron ?? null,
          platform: process.platform,
        },
        logDir: ctx.logDir,
        demo: demo.get()! > 0,
      };
    },
  };
}
