// Audit entries a desk uploads: kept once per (desk, local id), each checked on its own. An entry that
// fails its schema (a NUL in its details, a broken date) or names an operator who never signed in at
// this desk is set aside and reported to the desk; the rest of the batch is kept. An id the service
// already holds with other content means the desk's data folder was restored or copied: the upload is
// refused as diverged, and the desk takes a new identity (nothing is overwritten or dropped).
import { createHash } from 'node:crypto';
import { AppError } from '../src-shared/errors';
import { auditEntryUpload, type AuditEntryUpload } from '../src-shared/schemas/sync';
import type { ServerDb } from './db';
import type { Caller } from './offices';
import { verifiedOperators } from './operators';

const fingerprint = (e: AuditEntryUpload) =>
  createHash('sha256')
    .update(JSON.stringify([e.at, e.operatorId, e.accountId, e.operation, e.result, e.details]))
    .digest('base64url');

export async function uploadAudit(
  db: ServerDb,
  caller: Caller,
  clientId: string,
  entries: unknown[],
): Promise<{ stored: number; refused: { localId: number; reason: string }[] }> {
  const refused: { localId: number; reason: string }[] = [];
  const good: (AuditEntryUpload & { fingerprint: string })[] = [];
  for (const raw of entries) {
    const parsed = auditEntryUpload.safeParse(raw);
    const localId = (raw as { localId?: unknown } | null)?.localId;
    if (!parsed.success) {
      if (typeof localId === 'number' && Number.isSafeInteger(localId) && localId > 0) {
        refused.push({
          localId,
          reason: `audit.malformed: ${parsed.error.issues
            .map((i) => `${i.path.join('.')} ${i.message}`)
            .join('; ')
            .slice(0, 300)}`,
        });
        continue;
      }
      throw new AppError('VALIDATION', 'An audit entry without a usable local id', { reason: 'audit.malformed' });
    }
    good.push({ ...parsed.data, fingerprint: fingerprint(parsed.data) });
  }
  const verified = await verifiedOperators(
    db,
    caller,
    good.flatMap((e) => (e.operatorId === null ? [] : [e.operatorId])),
  );
  const accepted = good.filter((e) => {
    if (e.operatorId === null || verified.has(e.operatorId)) return true;
    refused.push({ localId: e.localId, reason: 'audit.operatorUnverified' });
    return false;
  });
  if (!accepted.length) return { stored: 0, refused };
  return db.tx(async (sql) => {
    const known = await sql.query<{ local_id: number; fingerprint: string | null }>(
      'SELECT local_id, fingerprint FROM server_audit WHERE client_id = $1 AND local_id = ANY($2::bigint[])',
      [clientId, accepted.map((e) => e.localId)],
    );
    const held = new Map(known.map((k) => [Number(k.local_id), k.fingerprint]));
    for (const e of accepted) {
      const fp = held.get(e.localId);
      if (fp !== undefined && fp !== null && fp !== e.fingerprint) {
        throw new AppError(
          'CONFLICT',
          'The service holds another entry under this id: the desk was restored or copied',
          { reason: 'sync.clientDiverged', localId: e.localId },
        );
      }
    }
    const fresh = accepted.filter((e) => !held.has(e.localId));
    if (fresh.length) {
      await sql.query(
        `INSERT INTO server_audit (at, office_id, operator_id, account_id, operation, result, details, client_id, local_id, fingerprint)
         SELECT e.at, $1, e."operatorId", e."accountId", e.operation, e.result, coalesce(e.details, '{}')::jsonb, $2, e."localId", e.fingerprint
           FROM json_to_recordset($3::json) AS e(at timestamptz, "operatorId" bigint, "accountId" bigint, operation text, result text, details text, "localId" bigint, fingerprint text)
         ON CONFLICT (client_id, local_id) DO NOTHING`,
        [caller.office.id, clientId, JSON.stringify(fresh)],
      );
    }
    return { stored: accepted.length, refused };
  });
}
