// The desk's audit trail to the service (POST /v1/audit, after each push), kept there once per desk
// identity and local id. An entry the service sets aside (it names an operator who never signed in
// here, say) is kept on the desk with the reason, not sent again, and counted in the status; a
// `sync.setAside` event tells a supervisor. A restored service gets again what it no longer holds.
import { AppError } from '../../../src-shared/errors';
import { auditUploadOutput } from '../../../src-shared/schemas/sync';
import type { ServiceContext } from '../context';
import type { CentralClient, CentralTarget } from '../central-client';
import type { Identity } from './identity';
import type { Recovery, SyncEventWriter } from './recovery';

/** Audit entries per upload (small rows, one statement on the service). */
const AUDIT_BATCH = 1000;

export function createAuditUpload(
  ctx: ServiceContext,
  client: CentralClient,
  identity: Identity,
  recovery: Recovery,
  event: SyncEventWriter,
) {
  const db = ctx.db;
  const unsentAudit = db.prepare<
    [number],
    {
      id: number;
      at: string;
      operator_id: number | null;
      account_id: number | null;
      operation: string;
      result: string;
      details: string | null;
    }
  >(
    'SELECT id, at, operator_id, account_id, operation, result, details FROM audit_log WHERE sent_at IS NULL AND refused IS NULL ORDER BY id LIMIT ?',
  );
  const markAuditSent = db.prepare<[string, number, number]>(
    'UPDATE audit_log SET sent_at = ? WHERE id BETWEEN ? AND ? AND sent_at IS NULL',
  );
  const markAuditRefused = db.prepare<[string, string, number]>(
    'UPDATE audit_log SET refused = ?, sent_at = ? WHERE id = ?',
  );
  const maxSentAudit = db
    .prepare<[], number | null>('SELECT max(id) FROM audit_log WHERE sent_at IS NOT NULL AND refused IS NULL')
    .pluck();
  const unsendAudit = db.prepare<[number]>('UPDATE audit_log SET sent_at = NULL WHERE id > ? AND refused IS NULL');

  return {
    /** After hello: what this identity sent beyond what the service says it holds is sent again. */
    reconcile(auditThrough: number) {
      const sentAudit = maxSentAudit.get() ?? 0;
      if (sentAudit >= identity.auditBase() && auditThrough < sentAudit)
        unsendAudit.run(Math.max(auditThrough, identity.auditBase() - 1));
    },

    /** Everything this identity sent goes again (the service does not know the desk). */
    resendAll() {
      unsendAudit.run(identity.auditBase() - 1);
    },

    /** Uploads the local audit trail; an entry the service sets aside is kept here with its reason and not sent again. */
    async upload(target: CentralTarget): Promise<void> {
      for (;;) {
        const rows = unsentAudit.all(AUDIT_BATCH);
        if (!rows.length) return;
        const entries = rows.map((r) => ({
          localId: r.id,
          at: r.at,
          operatorId: r.operator_id,
          accountId: r.account_id,
          operation: r.operation,
          result: r.result,
          details: r.details,
        }));
        let answer: unknown;
        try {
          answer = await client.request(target, '/v1/audit', {
            method: 'POST',
            body: { clientId: identity.clientId(), entries },
          });
        } catch (error) {
          const e = AppError.from(error);
          if ((e.details as { reason?: string } | undefined)?.reason !== 'sync.clientDiverged') throw e;
          await recovery.renew(target, identity.firstUnheld(), 'diverged');
          continue;
        }
        const result = auditUploadOutput.parse(answer);
        const at = ctx.now().toISOString();
        db.transaction(() => {
          for (const r of result.refused) markAuditRefused.run(r.reason, at, r.localId);
          markAuditSent.run(at, rows[0]!.id, rows[rows.length - 1]!.id);
          if (result.refused.length)
            event('sync.setAside', {
              entries: result.refused.length,
              reasons: [...new Set(result.refused.map((r) => r.reason.split(':')[0]))],
            });
        })();
      }
    },
  };
}
