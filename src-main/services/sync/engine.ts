// The desktop's sync engine. A run: hello (what each side holds), push the outbox in seq order, upload
// the audit trail, pull what changed by cursor, page by page (each page applied with its cursor in one
// transaction, so a crash mid-pull resumes where it stopped). It tells apart, and recovers from:
// - a data folder restored from a backup or copied to another PC (the service holds changes this desk
//   never made, or another change under one of its seqs): a new identity, the rows the service does
//   not hold sent again under it;
// - a central database restored from a dump (it acknowledged changes it no longer has, or its
//   versions are behind this desk's cursor): what it lost is sent again (applied changes are kept for
//   the retention period for this), and the office is pulled anew in full;
// - an office whose districts changed: pulled anew in full, what is no longer its purged.
// Each of these is written to the audit trail for a supervisor. The app stays usable offline; the
// frame is told whether the service did not answer or answered no, and why.
// Here: the run (hello, pull, the status). Beside it: push.ts (the outbox's push), recovery.ts (what a
// recovery does), audit-upload.ts (the audit trail's upload), pages.ts (applying pages), loop.ts (the
// background loop).
import { AppError } from '../../../src-shared/errors';
import {
  helloResponseSchema,
  type HelloResponse,
  type SyncProblem,
  type SyncStatus,
} from '../../../src-shared/schemas/sync';
import { createAuditRepo } from '../../store/repos/audit';
import { createSyncStateRepo } from '../../store/repos/sync-state';
import type { ServiceContext } from '../context';
import type { CentralClient, CentralTarget } from '../central-client';
import type { createSettingsService } from '../settings';
import { createAuditUpload } from './audit-upload';
import type { Identity } from './identity';
import { createPageSink } from './pages';
import { createOutboxPush } from './push';
import { createRecovery } from './recovery';

export const PULL_PAGE = 20_000;
const DAY_MS = 86_400_000;

/** Why a run stopped, in a form the frame can put in words. */
export function problemOf(error: unknown): SyncProblem {
  const e = AppError.from(error);
  const reason = (e.details as { reason?: unknown } | undefined)?.reason;
  const r = typeof reason === 'string' ? reason : null;
  const kind: SyncProblem['kind'] =
    e.code === 'UNAVAILABLE'
      ? 'unreachable'
      : e.code === 'UPGRADE_REQUIRED'
        ? 'outdated'
        : r === 'auth.deskRevoked' || r === 'auth.officeRevoked'
          ? 'revoked'
          : 'refused';
  return { kind, code: e.code, reason: r, message: e.message.slice(0, 500) };
}

export interface SyncEngineOptions {
  onDataChanged?: () => void;
  pullPageSize?: number;
  pageWorker?: string | URL;
}

export function createSyncEngine(
  ctx: ServiceContext,
  settings: ReturnType<typeof createSettingsService>,
  client: CentralClient,
  identity: Identity,
  options: SyncEngineOptions = {},
) {
  const pageSize = options.pullPageSize ?? PULL_PAGE;
  const db = ctx.db;
  const syncState = createSyncStateRepo(db);
  const audit = createAuditRepo(db);
  const pages = createPageSink(db, ctx.databaseFile, options.pageWorker);

  const settleApplied = db.prepare<[string]>(
    "UPDATE outbox SET state = 'applied', settled_at = ? WHERE state = 'sent' AND acked_at IS NOT NULL",
  );
  const purgeRetained = db.prepare<[string]>(
    "DELETE FROM outbox WHERE state IN ('applied', 'dismissed') AND settled_at < ?",
  );
  const counts = db.prepare<[], { pending: number; rejected: number; setAside: number }>(
    `SELECT coalesce(sum(state IN ('pending', 'sent')), 0) AS pending, coalesce(sum(state = 'rejected'), 0) AS rejected,
            (SELECT count(*) FROM audit_log WHERE refused IS NOT NULL) AS setAside FROM outbox`,
  );

  // 'connecting' until this process's first run has an answer: never «в сети» before it is.
  let state: SyncStatus['state'] = 'connecting';
  /** The shell is starting the central service itself (the web shell's embedded one): said until it is up. */
  let serviceStarting = false;
  let problem: SyncProblem | null = null;
  let rowsApplied = 0;
  let progress: { percent: number; secondsLeft: number | null } | null = null;
  let running: Promise<SyncStatus> | null = null;

  function status(): SyncStatus {
    const c = counts.get()!;
    const configured = client.target() !== null;
    return {
      configured,
      state: serviceStarting && state !== 'online' && state !== 'syncing' ? 'starting' : configured ? state : 'local',
      pending: c.pending,
      rejected: c.rejected,
      setAside: c.setAside,
      lastSyncAt: syncState.get('lastSyncAt'),
      lastError: problem?.message ?? null,
      problem: configured ? problem : null,
      rowsApplied,
      progressPercent: state === 'syncing' && progress ? progress.percent : null,
      secondsLeft: state === 'syncing' && progress ? progress.secondsLeft : null,
      resyncing: syncState.get('resyncGen') !== null,
    };
  }
  const emit = () => ctx.events.emit('sync.changed', status());
  const event = (operation: string, details: Record<string, unknown>) =>
    audit.record({ at: ctx.now().toISOString(), operatorId: null, accountId: null, operation, result: 'ok', details });
  const recovery = createRecovery(db, syncState, client, identity, event);
  const auditUpload = createAuditUpload(ctx, client, identity, recovery, event);
  const push = createOutboxPush(ctx, client, identity, recovery, emit);

  async function hello(target: CentralTarget): Promise<HelloResponse> {
    if (!identity.registeredFor(target)) {
      const first = identity.clientId() === null;
      await identity.register(client, target, identity.firstUnheld(), 'first');
      if (!first) event('sync.identityRenewed', { reason: 'registered', clientId: identity.clientId() });
    }
    let answer: HelloResponse;
    try {
      answer = helloResponseSchema.parse(
        await client.request(target, '/v1/hello', {
          method: 'POST',
          body: {
            clientId: identity.clientId(),
            ackedThrough: identity.ackedThrough(),
            cursor: syncState.number('cursor'),
          },
        }),
      );
    } catch (error) {
      const e = AppError.from(error);
      if ((e.details as { reason?: string } | undefined)?.reason !== 'auth.deskUnknown') throw e;
      // The service does not know this desk: its database was restored from before the desk registered.
      // Everything this identity had acknowledged is sent again under a new one.
      recovery.resendAcknowledged();
      await recovery.renew(target, identity.firstUnheld(), 'unknownToService');
      recovery.startResync('serviceRestored');
      auditUpload.resendAll();
      return hello(target);
    }
    const storedScope = syncState.get('scope');
    if (storedScope !== answer.scope) {
      if (storedScope !== null || syncState.number('cursor') > 0) recovery.startResync('scopeChanged');
      syncState.set('scope', answer.scope);
    }
    if (syncState.number('cursor') > answer.latest) recovery.startResync('serviceRestored');
    if (answer.lastSeq !== null && answer.lastSeq < identity.ackedThrough()) recovery.serviceLost(answer.lastSeq);
    auditUpload.reconcile(answer.auditThrough);
    recovery.noteHeld(answer.lastSeq, answer.auditThrough);
    return answer;
  }

  /**
   * Pulls pages until the server has nothing newer than our cursor. The next page is requested
   * before the current one is applied, so the server prepares it while this side writes.
   */
  async function pull(target: CentralTarget, scope: string): Promise<number> {
    let total = 0;
    const start = syncState.number('cursor');
    const generation = syncState.get('resyncGen') !== null ? syncState.number('resyncGen') : syncState.number('gen');
    const started = performance.now();
    const fetchPage = (cursor: number) => client.requestText(target, `/v1/pull?cursor=${cursor}&limit=${pageSize}`);
    let pending = fetchPage(start);
    for (;;) {
      const text = await pending;
      // The service writes cursor and hasMore first: read them from the head and ask for the next
      // page while this one is being applied.
      const head = /^\{"ok":true,"result":\{"cursor":(\d+),"hasMore":(true|false)/.exec(text.slice(0, 120));
      const prefetched = head?.[2] === 'true';
      if (prefetched) {
        pending = fetchPage(Number(head![1]));
        pending.catch(() => undefined); // handled when awaited
      }
      const scopeOfPage = /"scope":"([^"]*)"/.exec(text.slice(0, 300))?.[1];
      if (scopeOfPage !== undefined && scopeOfPage !== scope) {
        // The office's districts changed during this pull: the next run pulls it anew.
        throw new AppError('CONFLICT', 'The office changed during the pull', { reason: 'sync.scopeChanged' });
      }
      const page = await pages.apply(text, generation);
      if (page.hasMore && !prefetched) pending = fetchPage(page.cursor);
      total += page.rows;
      rowsApplied = total;
      if (page.hasMore && page.latest > start) {
        const done = (page.cursor - start) / (page.latest - start);
        const elapsed = (performance.now() - started) / 1000;
        progress = {
          percent: Math.min(99, Math.floor(done * 100)),
          secondsLeft: done > 0.02 ? Math.round((elapsed * (1 - done)) / done) : null,
        };
      }
      if (page.rows > 0) emit();
      if (!page.hasMore) break;
    }
    const resync = syncState.get('resyncGen');
    if (resync !== null) {
      const removed = await pages.purge(Number(resync));
      db.transaction(() => {
        syncState.set('gen', resync);
        syncState.remove('resyncGen');
        event('sync.resync', { reason: syncState.get('resyncReason'), rows: total, removed });
        syncState.remove('resyncReason');
      })();
      if (removed > 0) total += removed;
    }
    return total;
  }

  async function run(): Promise<SyncStatus> {
    const target = client.target();
    if (!target) return status();
    state = 'syncing';
    rowsApplied = 0;
    progress = null;
    recovery.beginRun();
    emit();
    try {
      let answer = await hello(target);
      await push(target);
      await auditUpload.upload(target);
      if (recovery.renewalDue()) {
        await recovery.renew(target, identity.highestSeq() + 1, 'restoredDesk');
        answer = await hello(target);
        await push(target);
        await auditUpload.upload(target);
      }
      const pulled = await pull(target, answer.scope);
      // Everything the server acknowledged before this pull is now in the local tables.
      const now = ctx.now();
      settleApplied.run(now.toISOString());
      purgeRetained.run(new Date(now.getTime() - settings.get().settings.syncRetentionDays * DAY_MS).toISOString());
      syncState.set('lastSyncAt', now.toISOString());
      state = 'online';
      problem = null;
      if (pulled > 0) options.onDataChanged?.();
    } catch (error) {
      problem = problemOf(error);
      state = problem.kind === 'unreachable' ? 'offline' : 'refused';
    }
    emit();
    return status();
  }

  /** One sync run at a time; a second caller waits for the running one. */
  function syncNow(): Promise<SyncStatus> {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  }

  /** The shell starts the service itself: the status says «запускается» (not «нет связи») until `ready` settles. */
  function expectService(ready: Promise<unknown>): void {
    serviceStarting = true;
    emit();
    const done = () => {
      serviceStarting = false;
      emit();
    };
    ready.then(done, done);
  }

  /** Whether the service answers at all (its /health, a few seconds at most): the cheap probe between backoff steps. */
  async function probe(): Promise<boolean> {
    const target = client.target();
    if (!target) return false;
    try {
      await client.request(target, '/health', { timeoutMs: 3_000, retry: false });
      return true;
    } catch {
      return false;
    }
  }

  return {
    status,
    expectService,
    syncNow,
    probe,
    emit,
    clientId: () => identity.clientId(),
    close: () => pages.close(),
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
