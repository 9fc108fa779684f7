// What the central service refused, for the supervisor: the changes it rejected with what each was and
// why (nothing the operator saved disappears), settled with a decision and a note; and what sync did
// that a supervisor should know of (a restored service or desk, a full pull, entries set aside).
import { AppError } from '../../../src-shared/errors';
import type { Db } from '../../store/db';
import { createAuditRepo } from '../../store/repos/audit';
import type { ServiceContext } from '../context';

const SYNC_EVENTS = ['sync.identityRenewed', 'sync.serviceRestored', 'sync.resync', 'sync.setAside'];

const parse = (text: string | null): Record<string, unknown> | null => {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
};

export function createRejectedChanges(ctx: ServiceContext, db: Db, changed: () => void) {
  const rejectedRows = db.prepare<[], { seq: number; name: string; account_id: number | null; number: string | null; created_at: string; settled_at: string | null; error_code: string | null; error_message: string | null; error_details: string | null; args: string }>(
    `SELECT o.seq, o.name, o.account_id, a.number, o.created_at, o.settled_at, o.error_code, o.error_message, o.error_details, o.args
       FROM outbox o LEFT JOIN accounts a ON a.id = o.account_id WHERE o.state = 'rejected' ORDER BY o.seq DESC LIMIT 500`,
  );
  const dismiss = db.prepare<[string, number]>("UPDATE outbox SET state = 'dismissed', settled_at = ? WHERE seq = ? AND state = 'rejected'");
  const events = db.prepare<string[], { at: string; operation: string; details: string | null }>(
    `SELECT at, operation, details FROM audit_log WHERE operation IN (${SYNC_EVENTS.map(() => '?').join(',')}) ORDER BY id DESC LIMIT 50`,
  );
  const auditRepo = createAuditRepo(db);

  function list() {
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
        details: parse(r.error_details),
        args: JSON.parse(r.args) as unknown,
      })),
    };
  }

  /** A supervisor settles a rejected change: corrected by a new entry, or dismissed, with a note. */
  function resolve(input: { seq: number; resolution: 'corrected' | 'dismissed'; note: string }, operatorId: number | null) {
    const row = db.prepare<[number], { account_id: number | null; name: string }>("SELECT account_id, name FROM outbox WHERE seq = ? AND state = 'rejected'").get(input.seq);
    if (!row) throw new AppError('NOT_FOUND', 'No such rejected change', { reason: 'sync.notRejected' });
    const at = ctx.now().toISOString();
    db.transaction(() => {
      dismiss.run(at, input.seq);
      auditRepo.record({ at, operatorId, accountId: row.account_id, operation: 'sync.resolve', result: 'ok', details: { seq: input.seq, name: row.name, resolution: input.resolution, note: input.note } });
    })();
    changed();
    return list();
  }

  return {
    list,
    resolve,
    events: () => ({ events: events.all(...SYNC_EVENTS).map((e) => ({ at: e.at, operation: e.operation, details: parse(e.details) })) }),
  };
}
