// «Отправка»'s data: what waits to be sent (account, what, when, who), what the central service refused
// with what each was and why (nothing the operator saved disappears), settled by a supervisor with a
// decision and a note; and what sync did that a supervisor should know of (a restored service or desk,
// a full pull, entries set aside). Each change is described by sync/described.ts.
import { AppError } from '../../../src-shared/errors';
import type { OutboxChange, RejectedChange } from '../../../src-shared/schemas/sync';
import type { Db } from '../../store/db';
import { createAuditRepo } from '../../store/repos/audit';
import type { ServiceContext } from '../context';
import { createChangeDescriber } from './described';

const SYNC_EVENTS = ['sync.identityRenewed', 'sync.serviceRestored', 'sync.resync', 'sync.setAside'];

const parse = (text: string | null): Record<string, unknown> | null => {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
};

interface ChangeRow {
  seq: number;
  name: string;
  state: OutboxChange['state'];
  account_id: number | null;
  number: string | null;
  created_at: string;
  operator_name: string | null;
  args: string;
}

// The operator's name from the replicated operators, else from this PC's verifiers (an operator the
// last pull does not carry, e.g. signed in offline only).
const CHANGE_COLUMNS = `o.seq, o.name, o.state, o.account_id, a.number, o.created_at, o.args,
       coalesce(op.full_name, (SELECT v.full_name FROM operator_verifiers v WHERE v.operator_id = o.operator_id)) AS operator_name`;
const CHANGE_FROM =
  'FROM outbox o LEFT JOIN accounts a ON a.id = o.account_id LEFT JOIN operators op ON op.id = o.operator_id';

export function createRejectedChanges(ctx: ServiceContext, db: Db, changed: () => void) {
  const rejectedRows = db.prepare<
    [],
    ChangeRow & {
      settled_at: string | null;
      error_code: string | null;
      error_message: string | null;
      error_details: string | null;
    }
  >(
    `SELECT ${CHANGE_COLUMNS}, o.settled_at, o.error_code, o.error_message, o.error_details ${CHANGE_FROM} WHERE o.state = 'rejected' ORDER BY o.seq DESC LIMIT 500`,
  );
  const pendingRows = db.prepare<[number], ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} ${CHANGE_FROM} WHERE o.state IN ('pending', 'sent') ORDER BY o.seq LIMIT ?`,
  );
  const pendingCount = db.prepare<[], number>("SELECT count(*) FROM outbox WHERE state IN ('pending', 'sent')").pluck();
  const describer = createChangeDescriber(db);
  const change = (r: ChangeRow): OutboxChange => ({
    seq: r.seq,
    name: r.name,
    state: r.state,
    accountId: r.account_id,
    accountNumber: r.number,
    createdAt: r.created_at,
    operatorName: r.operator_name,
    what: describer.describe(r.name, r.args),
  });
  const dismiss = db.prepare<[string, number]>(
    "UPDATE outbox SET state = 'dismissed', settled_at = ? WHERE seq = ? AND state = 'rejected'",
  );
  const events = db.prepare<string[], { at: string; operation: string; details: string | null }>(
    `SELECT at, operation, details FROM audit_log WHERE operation IN (${SYNC_EVENTS.map(() => '?').join(',')}) ORDER BY id DESC LIMIT 50`,
  );
  const auditRepo = createAuditRepo(db);

  function list(): { changes: RejectedChange[] } {
    return {
      changes: rejectedRows.all().map((r) => ({
        ...change(r),
        settledAt: r.settled_at,
        code: r.error_code,
        message: r.error_message,
        details: parse(r.error_details),
        args: JSON.parse(r.args) as unknown,
      })),
    };
  }

  /** What waits for the service (not yet accepted, or accepted and not yet pulled), oldest first. */
  function pending(limit: number): { changes: OutboxChange[]; total: number } {
    return { changes: pendingRows.all(limit).map(change), total: pendingCount.get() ?? 0 };
  }

  /** A supervisor settles a rejected change: corrected by a new entry, or dismissed, with a note. */
  function resolve(
    input: { seq: number; resolution: 'corrected' | 'dismissed'; note: string },
    operatorId: number | null,
  ) {
    const row = db
      .prepare<[number], { account_id: number | null; name: string }>(
        "SELECT account_id, name FROM outbox WHERE seq = ? AND state = 'rejected'",
      )
      .get(input.seq);
    if (!row) throw new AppError('NOT_FOUND', 'No such rejected change', { reason: 'sync.notRejected' });
    const at = ctx.now().toISOString();
    db.transaction(() => {
      dismiss.run(at, input.seq);
      auditRepo.record({
        at,
        operatorId,
        accountId: row.account_id,
        operation: 'sync.resolve',
        result: 'ok',
        details: { seq: input.seq, name: row.name, resolution: input.resolution, note: input.note },
      });
    })();
    changed();
    return list();
  }

  return {
    list,
    pending,
    resolve,
    events: () => ({
      events: events.all(...SYNC_EVENTS).map((e) => ({ at: e.at, operation: e.operation, details: parse(e.details) })),
    }),
  };
}
