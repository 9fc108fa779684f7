// Offices and their desks as data. An office is limited to its districts (none = the whole city) and
// authenticates with a key the service keeps only as its SHA-256; a desk (a client) gets its id and a
// secret from the service when it first connects, and from then on speaks as itself: the service
// knows which desk pushed a change, uploaded an audit entry or signed an operator in. Every request
// reads its office afresh, so a revoked key or new districts apply at once in every service process.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError } from '../src-shared/errors';
import { normaliseEnrolmentCode } from '../src-shared/schemas/sync';
import type { ServerDb, Sql } from './db';

export interface Office {
  id: number;
  name: string;
  /** null: every district */
  districtIds: number[] | null;
}

/** Who is calling: the office, and the desk when the request carries a desk's credentials. */
export interface Caller {
  office: Office;
  clientId: string | null;
}

const DESK_TOKEN = /^desk\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
const OFFICE_KEY = /^[A-Za-z0-9_-]{8,200}$/;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const newOfficeKey = () => randomBytes(18).toString('base64url');
export const deskToken = (clientId: string, secret: string) => `desk.${clientId}.${secret}`;

interface OfficeRow {
  id: number;
  name: string;
  district_ids: number[] | null;
  revoked_at: Date | null;
}

const officeOf = (row: OfficeRow): Office => ({
  id: Number(row.id),
  name: row.name,
  districtIds: row.district_ids?.map(Number) ?? null,
});

/** The office (and desk) behind an `Authorization: Bearer …` header, or UNAUTHORIZED with the reason. */
export async function authenticate(db: Sql, header: string | undefined): Promise<Caller> {
  const token = /^Bearer (\S{1,300})$/.exec(header ?? '')?.[1];
  if (!token) throw new AppError('UNAUTHORIZED', 'Missing credentials', { reason: 'auth.credentialsMissing' });
  const desk = DESK_TOKEN.exec(token);
  if (desk) {
    const [, clientId, secret] = desk;
    const rows = await db.query<OfficeRow & { token_hash: string | null; client_revoked: Date | null }>(
      `SELECT o.id, o.name, o.district_ids, o.revoked_at, c.token_hash, c.revoked_at AS client_revoked
         FROM clients c JOIN offices o ON o.id = c.office_id WHERE c.client_id = $1`,
      [clientId],
    );
    const row = rows[0];
    const given = Buffer.from(sha256(secret!), 'hex');
    const good = row?.token_hash ? timingSafeEqual(given, Buffer.from(row.token_hash, 'hex')) : false;
    if (!row || !good) throw new AppError('UNAUTHORIZED', 'Unknown desk', { reason: 'auth.deskUnknown' });
    if (row.revoked_at) throw new AppError('UNAUTHORIZED', 'The office was revoked', { reason: 'auth.officeRevoked' });
    if (row.client_revoked) throw new AppError('UNAUTHORIZED', 'This desk was revoked', { reason: 'auth.deskRevoked' });
    return { office: officeOf(row), clientId: clientId! };
  }
  if (!OFFICE_KEY.test(token)) throw new AppError('UNAUTHORIZED', 'Unknown office key', { reason: 'auth.officeKey' });
  const rows = await db.query<OfficeRow>('SELECT id, name, district_ids, revoked_at FROM offices WHERE key_hash = $1', [
    sha256(token),
  ]);
  const row = rows[0];
  if (!row) throw new AppError('UNAUTHORIZED', 'Unknown office key', { reason: 'auth.officeKey' });
  if (row.revoked_at) throw new AppError('UNAUTHORIZED', 'The office was revoked', { reason: 'auth.officeRevoked' });
  return { office: officeOf(row), clientId: null };
}

/** A request that must come from a desk (push, audit upload): its client id. */
export function requireDesk(caller: Caller): string {
  if (!caller.clientId)
    throw new AppError('UNAUTHORIZED', 'A desk must register first', { reason: 'sync.unknownClient' });
  return caller.clientId;
}

export interface ClientRegistration {
  /** the seq of the desk's next change: the service acknowledges nothing below it for the new id */
  firstSeq: number;
  /** the id this desk used before (a restored or copied data folder, or a lost central record) */
  previousClientId?: string | null;
  reason?: string | null;
}

/**
 * Issues a desk its identity. With a predecessor (the same desk under the id it had before) the
 * operators who signed in there carry over: offline sign-ins made with their verifiers stay theirs.
 */
export async function registerClient(
  db: ServerDb,
  office: Office,
  registration: ClientRegistration,
): Promise<{ clientId: string; token: string }> {
  const clientId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  await db.tx(async (sql) => {
    await sql.query(
      'INSERT INTO clients (client_id, office_id, last_seq, token_hash, previous_client_id, reason) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        clientId,
        office.id,
        registration.firstSeq - 1,
        sha256(secret),
        registration.previousClientId ?? null,
        registration.reason ?? null,
      ],
    );
    if (registration.previousClientId) {
      await sql.query(
        `INSERT INTO client_operators (client_id, operator_id, first_at, last_at)
         SELECT $1, co.operator_id, co.first_at, co.last_at FROM client_operators co JOIN clients c ON c.client_id = co.client_id
          WHERE co.client_id = $2 AND c.office_id = $3 ON CONFLICT DO NOTHING`,
        [clientId, registration.previousClientId, office.id],
      );
    }
    await sql.query(
      "INSERT INTO server_audit (at, office_id, operation, result, details, client_id) VALUES (now(), $1, 'clients.register', 'ok', $2, $3)",
      [
        office.id,
        JSON.stringify({
          previousClientId: registration.previousClientId ?? null,
          reason: registration.reason ?? null,
          firstSeq: registration.firstSeq,
        }),
        clientId,
      ],
    );
  });
  return { clientId, token: deskToken(clientId, secret) };
}

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

// Administration (npm run server -- office …): offices are data, changed on the service's host.

async function checkDistricts(db: Sql, ids: number[] | null): Promise<void> {
  if (!ids) return;
  if (!ids.length)
    throw new AppError('VALIDATION', 'Give at least one district (or none for the whole city)', {
      reason: 'office.noDistricts',
    });
  const known = await db.query<{ id: number }>('SELECT id FROM districts WHERE id = ANY($1::bigint[])', [ids]);
  const missing = ids.filter((id) => !known.some((k) => Number(k.id) === id));
  if (missing.length)
    throw new AppError('VALIDATION', `No such district: ${missing.join(', ')}`, {
      reason: 'office.unknownDistrict',
      missing,
    });
}

export async function addOffice(
  db: ServerDb,
  input: { name: string; districtIds: number[] | null; key?: string },
): Promise<{ office: Office; key: string }> {
  const name = input.name.trim();
  if (!name || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name))
    throw new AppError('VALIDATION', 'An office needs a name (up to 200 characters)', { reason: 'office.name' });
  await checkDistricts(db, input.districtIds);
  const key = input.key ?? newOfficeKey();
  const rows = await db.query<OfficeRow>(
    'INSERT INTO offices (name, district_ids, key_hash, key_hint) VALUES ($1, $2, $3, $4) RETURNING id, name, district_ids, revoked_at',
    [name, input.districtIds, sha256(key), key.slice(0, 4)],
  );
  return { office: officeOf(rows[0]!), key };
}

async function officeByKey(db: Sql, key: string): Promise<OfficeRow> {
  const row = (
    await db.query<OfficeRow>('SELECT id, name, district_ids, revoked_at FROM offices WHERE key_hash = $1', [
      sha256(key.trim()),
    ])
  )[0];
  if (!row) throw new AppError('NOT_FOUND', 'No office has this key', { reason: 'office.unknownKey' });
  return row;
}

export async function revokeOffice(db: ServerDb, key: string): Promise<Office> {
  const row = await officeByKey(db, key);
  await db.query('UPDATE offices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [row.id]);
  await db.query('DELETE FROM operator_sessions WHERE office_id = $1', [row.id]);
  return officeOf(row);
}

export async function setOfficeDistricts(db: ServerDb, key: string, districtIds: number[] | null): Promise<Office> {
  const row = await officeByKey(db, key);
  await checkDistricts(db, districtIds);
  const rows = await db.query<OfficeRow>(
    'UPDATE offices SET district_ids = $2 WHERE id = $1 RETURNING id, name, district_ids, revoked_at',
    [row.id, districtIds],
  );
  return officeOf(rows[0]!);
}

export interface OfficeListing extends Office {
  keyHint: string;
  createdAt: string;
  revokedAt: string | null;
  desks: number;
}

export async function listOffices(db: ServerDb): Promise<OfficeListing[]> {
  const rows = await db.query<OfficeRow & { key_hint: string | null; created_at: Date; desks: number }>(
    `SELECT o.id, o.name, o.district_ids, o.revoked_at, o.key_hint, o.created_at,
            (SELECT count(*)::int FROM clients c WHERE c.office_id = o.id AND c.token_hash IS NOT NULL AND c.revoked_at IS NULL) AS desks
       FROM offices o ORDER BY o.id`,
  );
  return rows.map((r) => ({
    ...officeOf(r),
    keyHint: r.key_hint ?? '',
    createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    desks: r.desks,
  }));
}

/** A comma-separated district list from the command line ("1,3"), or null for "all". */
export function parseDistrictList(text: string): number[] | null {
  if (text.trim() === 'all') return null;
  const ids = text.split(',').map((part) => part.trim());
  if (!ids.length || ids.some((id) => !/^\d{1,9}$/.test(id)))
    throw new AppError('VALIDATION', `Districts are numbers separated by commas (e.g. 1,3) or "all": ${text}`, {
      reason: 'office.districtList',
    });
  return [...new Set(ids.map(Number))].sort((a, b) => a - b);
}
