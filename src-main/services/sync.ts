// The desktop's sync engine: pushes the outbox to the central service in seq order and pulls what
// changed there by cursor, page by page, each page applied in one local transaction together with
// the new cursor (so a crash mid-pull resumes where it stopped). Runs in the background with
// exponential backoff and jitter; "sync now" runs it at once. The app stays fully usable offline.
import { AppError } from '../../src-shared/errors';
import { pullResponseSchema, pushResponseSchema, type PullResponse, type PushMutation, type SyncStatus } from '../../src-shared/schemas/sync';
import type { Db } from '../store/db';
import { createAuditRepo } from '../store/repos/audit';
import { createOutboxRepo } from '../store/repos/outbox';
import { startWorker } from '../workers';
import type { ServiceContext } from './context';
import { createCentralClient, type CentralTarget, type Fetch } from './central-client';
import type { createSettingsService } from './settings';

export type { Fetch } from './central-client';

const PUSH_BATCH = 500;
/** Audit entries per upload (small rows, one statement on the service). */
const AUDIT_BATCH = 1000;
export const PULL_PAGE = 20_000;
/** Rows applied by one pull after which the WAL is checkpointed and truncated at its end. */
const LARGE_PULL_ROWS = 100_000;
const REPLICATED_TABLES = new Set([
  'districts', 'streets', 'buildings', 'premises', 'owners', 'tariffs', 'norms', 'operators', 'accounts', 'phones', 'meters',
  'readings', 'charges', 'recalculations', 'payments', 'balances', 'subscriptions', 'web_accounts',
]);

interface AppliedPage {
  cursor: number;
  rows: number;
  hasMore: boolean;
  latest: number;
}

interface OutboxPushRow {
  seq: number;
  name: string;
  args: string;
  operator_id: number | null;
  created_at: string;
}

/**
 * A pull page's shape, checked without zod walking every cell (pages carry tens of thousands of
 * rows; SQLite's types and the column whitelist in the applier do the rest).
 */
export function checkPage(value: unknown): PullResponse {
  const head = pullResponseSchema.pick({ cursor: true, hasMore: true, rows: true, latest: true }).parse(value);
  const tables = (value as { tables?: unknown }).tables;
  if (typeof tables !== 'object' || tables === null) throw new AppError('BAD_REQUEST', 'A pull page without tables');
  for (const t of Object.values(tables as Record<string, unknown>)) {
    const { columns, rows } = t as { columns?: unknown; rows?: unknown };
    if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string') || !Array.isArray(rows) || !rows.every((r) => Array.isArray(r) && r.length === columns.length)) {
      throw new AppError('BAD_REQUEST', 'A malformed pull page');
    }
  }
  const deleted = pullResponseSchema.shape.deleted.parse((value as { deleted?: unknown }).deleted ?? {});
  return { ...head, tables: tables as PullResponse['tables'], deleted };
}

/** Applies pull pages: one transaction per page, replicated rows replaced by key, cursor saved with them. */
export function createPageApplier(db: Db) {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const setCursor = db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const statement = (table: string, columns: string[], rows: number) => {
    const key = `${table}/${columns.length}/${rows}`;
    let s = statements.get(key);
    if (!s) {
      const tuple = `(${columns.map(() => '?').join(',')})`;
      s = db.prepare(`INSERT OR REPLACE INTO ${table} (${columns.join(',')}) VALUES ${Array(rows).fill(tuple).join(',')}`);
      statements.set(key, s);
    }
    return s;
  };
  const apply = db.transaction((page: PullResponse) => {
    for (const [table, { columns, rows }] of Object.entries(page.tables)) {
      if (!REPLICATED_TABLES.has(table) || !columns.every((c) => /^[a-z_][a-z0-9_]*$/.test(c))) throw new AppError('BAD_REQUEST', `Unexpected table ${table} in a pull page`);
      const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        statement(table, columns, chunk.length).run(chunk.flat() as unknown[]);
      }
    }
    for (const [table, keys] of Object.entries(page.deleted)) {
      if (!REPLICATED_TABLES.has(table)) throw new AppError('BAD_REQUEST', `Unexpected table ${table} in a pull page`);
      for (const key of keys) {
        const columns = Object.keys(key);
        if (!columns.length || !columns.every((c) => /^[a-z_][a-z0-9_]*$/.test(c))) throw new AppError('BAD_REQUEST', 'A malformed tombstone');
        db.prepare(`DELETE FROM ${table} WHERE ${columns.map((c) => `${c} = ?`).join(' AND ')}`).run(columns.map((c) => key[c]));
      }
    }
    setCursor.run(String(page.cursor));
  });
  let sinceCheckpoint = 0;
  return (page: PullResponse) => {
    // Rows of one page may reference rows of a later one (a parent updated after its children):
    // the server is the source of truth, so foreign keys are not enforced while its pages land.
    db.pragma('foreign_keys = OFF');
    try {
      apply(page);
    } finally {
      db.pragma('foreign_keys = ON');
    }
    // After a large pull (an initial sync writes gigabytes through the WAL) the WAL is copied into the
    // database and truncated here, as part of the pull, instead of by the operator's next small
    // commit (and instead of a WAL file as large as the office staying on disk).
    sinceCheckpoint += page.rows;
    if (!page.hasMore && sinceCheckpoint >= LARGE_PULL_ROWS) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      sinceCheckpoint = 0;
    }
  };
}

export function createSyncEngine(
  ctx: ServiceContext,
  settings: ReturnType<typeof createSettingsService>,
  options: { fetch?: Fetch; onDataChanged?: () => void; pullPageSize?: number; pageWorker?: string | URL } = {},
) {
  const pageSize = options.pullPageSize ?? PULL_PAGE;
  const db = ctx.db;
  const unsent = db.prepare<[number], OutboxPushRow>(
    "SELECT seq, name, args, operator_id, created_at FROM outbox WHERE state IN ('pending', 'sent') AND acked_at IS NULL ORDER BY seq LIMIT ?",
  );
  const markSent = db.prepare<[string, number, number]>("UPDATE outbox SET state = 'sent', sent_at = ? WHERE seq BETWEEN ? AND ? AND state = 'pending'");
  const markAcked = db.prepare<[string, number]>("UPDATE outbox SET acked_at = ? WHERE seq = ? AND state IN ('pending', 'sent')");
  const markRejected = db.prepare<[string | null, string | null, string, number]>(
    "UPDATE outbox SET state = 'rejected', error_code = ?, error_message = ?, settled_at = ? WHERE seq = ? AND state IN ('pending', 'sent')",
  );
  const settleApplied = db.prepare<[string]>("UPDATE outbox SET state = 'applied', settled_at = ? WHERE state IN ('pending', 'sent') AND acked_at IS NOT NULL");
  const counts = db.prepare<[], { pending: number; rejected: number }>(
    "SELECT coalesce(sum(state IN ('pending', 'sent')), 0) AS pending, coalesce(sum(state = 'rejected'), 0) AS rejected FROM outbox",
  );
  const getState = db.prepare<[string], string>('SELECT value FROM sync_state WHERE key = ?').pluck();
  const setState = db.prepare<[string, string]>('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const { clientId } = createOutboxRepo(db);
  const applyPage = createPageApplier(db);

  let state: SyncStatus['state'] = 'local';
  let lastError: string | null = null;
  let rowsApplied = 0;
  let progress: { percent: number; secondsLeft: number | null } | null = null;
  let running: Promise<SyncStatus> | null = null;

  const client = createCentralClient(settings, options.fetch);
  const central = client.target;
  const { request, requestText } = client;

  function status(): SyncStatus {
    const c = counts.get()!;
    return {
      configured: central() !== null,
      state: central() ? state : 'local',
      pending: c.pending,
      rejected: c.rejected,
      lastSyncAt: getState.get('lastSyncAt') ?? null,
      lastError,
      rowsApplied,
      progressPercent: state === 'syncing' && progress ? progress.percent : null,
      secondsLeft: state === 'syncing' && progress ? progress.secondsLeft : null,
    };
  }

  const emit = () => ctx.events.emit('sync.changed', status());

  // The page worker: started on the first pull, one per engine.
  let worker: ReturnType<typeof startWorker> | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (v: AppliedPage) => void; reject: (e: Error) => void }>();
  function pageWorker(): ReturnType<typeof startWorker> {
    if (worker) return worker;
    worker = startWorker(options.pageWorker!, { file: ctx.databaseFile });
    worker.on('message', (m: AppliedPage & { id: number; ok: boolean; message?: string }) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (!w) return;
      if (m.ok) w.resolve(m);
      else w.reject(new AppError('BAD_REQUEST', m.message ?? 'A pull page could not be applied'));
    });
    worker.on('error', (error) => {
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
      worker = null;
    });
    worker.unref();
    return worker;
  }

  /** Applies one page's text: in the worker when there is one, else here. */
  function applyText(text: string): Promise<AppliedPage> {
    if (!options.pageWorker) {
      const body = JSON.parse(text) as { ok?: boolean; result?: unknown };
      const page = checkPage(body.ok ? body.result : body);
      if (page.rows > 0 || Object.keys(page.deleted).length) applyPage(page);
      return Promise.resolve(page);
    }
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      pageWorker().postMessage({ id, text });
    });
  }

  /** Pushes everything not yet acknowledged, batch by batch, in seq order. */
  async function push(target: CentralTarget): Promise<number> {
    let pushed = 0;
    for (;;) {
      const rows = unsent.all(PUSH_BATCH);
      if (!rows.length) return pushed;
      const mutations: PushMutation[] = rows.map((r) => ({ seq: r.seq, name: r.name, args: JSON.parse(r.args) as unknown, operatorId: r.operator_id, createdAt: r.created_at }));
      markSent.run(ctx.now().toISOString(), rows[0]!.seq, rows[rows.length - 1]!.seq);
      const result = pushResponseSchema.parse(await request(target, '/v1/push', { method: 'POST', body: { clientId: clientId(), mutations } }));
      const at = ctx.now().toISOString();
      db.transaction(() => {
        for (const r of result.results) {
          if (r.status === 'applied') markAcked.run(at, r.seq);
          else markRejected.run(r.code, r.message, at, r.seq);
        }
      })();
      pushed += rows.length;
      emit();
    }
  }

  const unsentAudit = db.prepare<[number], { id: number; at: string; operator_id: number | null; account_id: number | null; operation: string; result: 'ok' | 'denied' | 'failed'; details: string | null }>(
    'SELECT id, at, operator_id, account_id, operation, result, details FROM audit_log WHERE sent_at IS NULL ORDER BY id LIMIT ?',
  );
  const markAuditSent = db.prepare<[string, number, number]>('UPDATE audit_log SET sent_at = ? WHERE id BETWEEN ? AND ? AND sent_at IS NULL');

  /** Uploads the local audit trail (the service keeps each entry once, so a repeat is harmless). */
  async function uploadAudit(target: CentralTarget): Promise<void> {
    for (;;) {
      const rows = unsentAudit.all(AUDIT_BATCH);
      if (!rows.length) return;
      const entries = rows.map((r) => ({ localId: r.id, at: r.at, operatorId: r.operator_id, accountId: r.account_id, operation: r.operation, result: r.result, details: r.details }));
      await request(target, '/v1/audit', { method: 'POST', body: { clientId: clientId(), entries } });
      markAuditSent.run(ctx.now().toISOString(), rows[0]!.id, rows[rows.length - 1]!.id);
    }
  }

  /**
   * Pulls pages until the server has nothing newer than our cursor. The next page is requested
   * before the current one is applied, so the server prepares it while this side writes.
   */
  async function pull(target: CentralTarget): Promise<number> {
    let total = 0;
    const start = Number(getState.get('cursor') ?? 0);
    const started = performance.now();
    const fetchPage = (cursor: number) => requestText(target, `/v1/pull?cursor=${cursor}&limit=${pageSize}`);
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
      const page = await applyText(text);
      if (page.hasMore && !prefetched) pending = fetchPage(page.cursor);
      total += page.rows;
      rowsApplied = total;
      if (page.hasMore && page.latest > start) {
        const done = (page.cursor - start) / (page.latest - start);
        const elapsed = (performance.now() - started) / 1000;
        progress = { percent: Math.min(99, Math.floor(done * 100)), secondsLeft: done > 0.02 ? Math.round((elapsed * (1 - done)) / done) : null };
      }
      if (page.rows > 0) emit();
      if (!page.hasMore) return total;
    }
  }

  async function run(): Promise<SyncStatus> {
    const target = central();
    if (!target) return status();
    state = 'syncing';
    rowsApplied = 0;
    progress = null;
    emit();
    try {
      await push(target);
      await uploadAudit(target);
      const pulled = await pull(target);
      // Everything the server acknowledged before this pull is now in the local tables.
      settleApplied.run(ctx.now().toISOString());
      setState.run('lastSyncAt', ctx.now().toISOString());
      state = 'online';
      lastError = null;
      if (pulled > 0) options.onDataChanged?.();
    } catch (error) {
      state = 'offline';
      lastError = error instanceof Error ? error.message : String(error);
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

  const rejectedRows = db.prepare<[], { seq: number; name: string; account_id: number | null; number: string | null; created_at: string; settled_at: string | null; error_code: string | null; error_message: string | null; args: string }>(
    `SELECT o.seq, o.name, o.account_id, a.number, o.created_at, o.settled_at, o.error_code, o.error_message, o.args
       FROM outbox o LEFT JOIN accounts a ON a.id = o.account_id WHERE o.state = 'rejected' ORDER BY o.seq DESC LIMIT 500`,
  );
  /** Changes the central service refused, newest first, with the reason: nothing the operator saved disappears. */
  function rejected() {
    return {
      changes: rejectedRows.all().map((r) => ({
        seq: r.seq,
        name: r.name,
        accountId: r.account_id,
        accountNumber: r.number,
        createdAt: r.created_at,
        settledAt: r.settled_at,
        code: r.error_code,
        message: r.error_message,
        args: JSON.parse(r.args) as unknown,
      })),
    };
  }

  const dismiss = db.prepare<[string, number]>("UPDATE outbox SET state = 'dismissed', settled_at = ? WHERE seq = ? AND state = 'rejected'");
  const auditRepo = createAuditRepo(db);
  /** A supervisor settles a rejected change: corrected by a new entry, or dismissed, with a note. */
  function resolve(input: { seq: number; resolution: 'corrected' | 'dismissed'; note: string }, operatorId: number | null) {
    const row = db.prepare<[number], { account_id: number | null; name: string }>("SELECT account_id, name FROM outbox WHERE seq = ? AND state = 'rejected'").get(input.seq);
    if (!row) throw new AppError('NOT_FOUND', 'No such rejected change', { reason: 'sync.notRejected' });
    const at = ctx.now().toISOString();
    db.transaction(() => {
      dismiss.run(at, input.seq);
      auditRepo.record({ at, operatorId, accountId: row.account_id, operation: 'sync.resolve', result: 'ok', details: { seq: input.seq, name: row.name, resolution: input.resolution, note: input.note } });
    })();
    emit();
    return rejected();
  }

  return {
    status,
    syncNow,
    clientId,
    rejected,
    resolve,
    close() {
      worker?.postMessage({ close: true });
      worker = null;
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;

/** Runs sync in the background: soon after start and after each local change, then on a timer, backing off with jitter while offline. */
export function startSyncLoop(engine: SyncEngine, options: { baseMs?: number; maxMs?: number } = {}) {
  const base = options.baseMs ?? 15_000;
  const max = options.maxMs ?? 5 * 60_000;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = async () => {
    const result = await engine.syncNow();
    failures = result.state === 'offline' ? failures + 1 : 0;
    const delay = failures === 0 ? base : Math.min(max, base * 2 ** failures);
    schedule(Math.round(delay * (0.5 + Math.random() * 0.5)));
  };
  schedule(1_000);
  return {
    kick: () => schedule(200),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
