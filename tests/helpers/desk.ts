// A desk for sync tests: an empty store in a temporary folder, configured for a central service, with
// an operator signed in online (so the service records them at this desk, as a real sign-in does).
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { openCore, type Core } from '../../src-main/core';
import { secretsOf } from '../../src-main/store/repos/secrets';
import type { Fetch } from '../../src-main/services/sync';
import { DEMO_OPERATOR_PASSWORD, type Role } from '../../src-shared/schemas/operators';
import type { SyncStatus } from '../../src-shared/schemas/sync';
import type { Central } from './central';
import { makeTempDir } from './tmp';

export const SYNC_WORKER = new URL('../../src-main/services/sync-worker.ts', import.meta.url);

export interface Desk {
  core: Core;
  db: Core['db'];
  ctx: Core['ctx'];
  dir: string;
  /** the operator signed in (id) and their role */
  operatorId: number | null;
  role: Role | null;
  /** an operation as the signed-in operator */
  call<T>(op: string, input: unknown): Promise<T>;
  sync(): Promise<SyncStatus>;
  close(): void;
}

export interface DeskOptions {
  now?: () => Date;
  fetch?: Fetch;
  pullPageSize?: number;
  worker?: boolean;
  /** the office key (default: the central's first office) */
  officeKey?: string;
  /** sign in this operator online once configured (null: nobody) */
  login?: string | null;
  /** open this existing data folder instead of a new one */
  dir?: string;
}

export async function openDesk(
  central: Central,
  options: DeskOptions = {},
  cleanups?: (() => unknown)[],
): Promise<Desk> {
  const temp = options.dir ? null : makeTempDir();
  const dir = options.dir ?? temp!.dir;
  const core = openCore({
    dataDir: dir,
    shell: 'web',
    now: options.now ?? (() => central.now.value),
    fetch: options.fetch,
    pullPageSize: options.pullPageSize,
    syncWorker: options.worker ? SYNC_WORKER : undefined,
  });
  let closed = false;
  const desk: Desk = {
    core,
    db: core.db,
    ctx: core.ctx,
    dir,
    operatorId: null,
    role: null,
    async call<T>(op: string, input: unknown) {
      const outcome = await core.services.dispatch(op as never, input as never, {
        operatorId: desk.operatorId,
        role: desk.role,
      });
      if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
      return outcome.result as T;
    },
    sync: () => desk.call<SyncStatus>('sync.now', {}),
    close() {
      if (closed) return;
      closed = true;
      core.close();
      temp?.cleanup();
    },
  };
  cleanups?.push(() => desk.close());
  if (!options.dir)
    await desk.call('settings.set', {
      central: { url: central.url, officeKey: options.officeKey ?? central.officeKey },
    });
  const login = options.login === undefined ? 'call1' : options.login;
  if (login) {
    const state = await core.services.session.signIn(login, DEMO_OPERATOR_PASSWORD);
    if (state.mode !== 'online') throw new Error(`${login} signed in ${state.mode}`);
    desk.operatorId = state.operator!.id;
    desk.role = state.operator!.role;
  }
  return desk;
}

/** A copy of a desk's data folder as it is now (a backup, or the folder copied to another PC). */
export function backupOf(desk: Desk): { dir: string; cleanup(): void } {
  desk.core.db.pragma('wal_checkpoint(TRUNCATE)');
  const temp = makeTempDir('aquadesk-backup-');
  cpSync(desk.dir, temp.dir, { recursive: true });
  return { dir: temp.dir, cleanup: temp.cleanup };
}

export const databaseOf = (dir: string) => join(dir, 'aquadesk.db');

/** The identity the service issued a desk (what its requests carry). */
export function credentialsOf(desk: Desk): { clientId: string; token: string } {
  const get = (key: string) =>
    desk.db.prepare<[string], string>('SELECT value FROM sync_state WHERE key = ?').pluck().get(key)!;
  return { clientId: get('clientId'), token: secretsOf(desk.db).get('desk.token')! };
}
