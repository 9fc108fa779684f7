// Desks' credentials beyond the first connection: enrolment by a one-time code an administrator made
// for the office (the code, `desk.enroll`), the office's list of desks and `desk.revoke`. Kept apart
// from authentication (offices.ts): this is how a desk gets and loses its credentials.
import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../src-shared/errors';
import { normaliseEnrolmentCode } from '../src-shared/schemas/sync';
import type { ServerDb, Sql } from './db';
import { deskToken, officeByKey, officeOf, sha256, type Office, type OfficeRow } from './offices';

// Enrolment: a desk gets its own credentials by a one-time code an administrator made for its office
// (`office enroll KEY`), so no office key is typed on a desk. A code is 16 characters of Crockford's
// base32 (80 bits; no I, L, O, U, read aloud without confusion), valid 24 hours, used once; the service
// keeps only its SHA-256.

export const ENROLMENT_HOURS = 24;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new code, grouped by four for reading aloud: `K7QM-2XHD-9RTB-WP4C`. */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => CROCKFORD[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

export async function createEnrolment(
  db: ServerDb,
  officeKey: string,
  now: Date = new Date(),
): Promise<{ code: string; expiresAt: string; office: Office }> {
  const row = await officeByKey(db, officeKey);
  if (row.revoked_at) throw new AppError('CONFLICT', 'The office was revoked', { reason: 'auth.officeRevoked' });
  const code = newEnrolmentCode();
  const expiresAt = new Date(now.getTime() + ENROLMENT_HOURS * 3_600_000);
  await db.query('INSERT INTO enrolment_codes (office_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    row.id,
    sha256(normaliseEnrolmentCode(code)!),
    now,
    expiresAt,
  ]);
  await db.query(
    "INSERT INTO server_audit (at, office_id, operation, result, details) VALUES ($1, $2, 'enrolment.create', 'ok', $3)",
    [now, row.id, JSON.stringify({ expiresAt: expiresAt.toISOString() })],
  );
  return { code, expiresAt: expiresAt.toISOString(), office: officeOf(row) };
}

export interface Enrolment {
  clientId: string;
  token: string;
  office: Office;
}

/**
 * `desk.enroll`: the code's office issues this desk its credentials, and the code is spent, in one
 * transaction (two desks with one code: one gets it). Unknown, expired and used codes are told apart.
 */
export async function enrollDesk(
  db: ServerDb,
  input: { code: string; firstSeq: number; label?: string | null },
  now: Date = new Date(),
): Promise<Enrolment> {
  const canonical = normaliseEnrolmentCode(input.code);
  if (!canonical)
    throw new AppError('VALIDATION', 'An enrolment code is 16 letters and digits', { reason: 'enrol.codeFormat' });
  const clientId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return db.tx(async (sql) => {
    const rows = await sql.query<OfficeRow & { code_id: number; expires_at: Date; used_at: Date | null }>(
      `SELECT e.id AS code_id, e.expires_at, e.used_at, o.id, o.name, o.district_ids, o.revoked_at
         FROM enrolment_codes e JOIN offices o ON o.id = e.office_id WHERE e.code_hash = $1 FOR UPDATE OF e`,
      [sha256(canonical)],
    );
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', 'No such enrolment code', { reason: 'enrol.codeUnknown' });
    if (row.used_at)
      throw new AppError('CONFLICT', 'This enrolment code was used already', { reason: 'enrol.codeUsed' });
    if (new Date(row.expires_at).getTime() <= now.getTime())
      throw new AppError('CONFLICT', 'This enrolment code has expired', { reason: 'enrol.codeExpired' });
    if (row.revoked_at) throw new AppError('UNAUTHORIZED', 'The office was revoked', { reason: 'auth.officeRevoked' });
    await sql.query('UPDATE enrolment_codes SET used_at = $2, client_id = $3 WHERE id = $1', [
      row.code_id,
      now,
      clientId,
    ]);
    await sql.query(
      'INSERT INTO clients (client_id, office_id, last_seq, token_hash, reason, enrolment_id, label, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [clientId, row.id, input.firstSeq - 1, sha256(secret), 'enrolled', row.code_id, input.label ?? null, now],
    );
    await sql.query(
      "INSERT INTO server_audit (at, office_id, operation, result, details, client_id) VALUES ($1, $2, 'desk.enroll', 'ok', $3, $4)",
      [now, row.id, JSON.stringify({ label: input.label ?? null, firstSeq: input.firstSeq }), clientId],
    );
    return { clientId, token: deskToken(clientId, secret), office: officeOf(row) };
  });
}

export interface DeskListing {
  clientId: string;
  label: string | null;
  registeredAt: string;
  seenAt: string | null;
  revokedAt: string | null;
  enrolled: boolean;
}

/** An office's desks that hold credentials, newest first. */
export async function listDesks(db: Sql, officeId: number): Promise<DeskListing[]> {
  const rows = await db.query<{
    client_id: string;
    label: string | null;
    registered_at: Date;
    seen_at: Date | null;
    revoked_at: Date | null;
    enrolment_id: number | null;
  }>(
    'SELECT client_id, label, registered_at, seen_at, revoked_at, enrolment_id FROM clients WHERE office_id = $1 AND token_hash IS NOT NULL ORDER BY registered_at DESC',
    [officeId],
  );
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    clientId: r.client_id,
    label: r.label,
    registeredAt: iso(r.registered_at)!,
    seenAt: iso(r.seen_at),
    revokedAt: iso(r.revoked_at),
    enrolled: r.enrolment_id !== null,
  }));
}

/** `desk.revoke`: the desk's credentials stop working at its next request; its operators' sessions end. */
export async function revokeDesk(db: ServerDb, clientId: string, now: Date = new Date()): Promise<DeskListing> {
  if (!/^[0-9a-f-]{36}$/.test(clientId))
    throw new AppError('VALIDATION', 'A desk is named by its id (as `office list` shows it)', { reason: 'desk.id' });
  const rows = await db.query<{ office_id: number }>(
    'UPDATE clients SET revoked_at = coalesce(revoked_at, $2) WHERE client_id = $1 AND token_hash IS NOT NULL RETURNING office_id',
    [clientId, now],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', 'No desk has this id', { reason: 'desk.unknown' });
  await db.query('DELETE FROM operator_sessions WHERE client_id = $1', [clientId]);
  await db.query(
    "INSERT INTO server_audit (at, office_id, operation, result, details, client_id) VALUES ($1, $2, 'desk.revoke', 'ok', '{}', $3)",
    [now, rows[0].office_id, clientId],
  );
  return (await listDesks(db, Number(rows[0].office_id))).find((d) => d.clientId === clientId)!;
}
