// Offices and their desks as data. An office is limited to its districts (none = the whole city) and
// authenticates with a key the service keeps only as its SHA-256; a desk (a client) gets its id and a
// secret from the service when it first connects, and from then on speaks as itself: the service
// knows which desk pushed a change, uploaded an audit entry or signed an operator in. Every request
// reads its office afresh, so a revoked key or new districts apply at once in every service process.
// This file holds the office and caller types and authentication; desks' enrolment and revocation are
// in desks.ts, the administration of offices (the `office` command) in office-admin.ts.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError } from '../src-shared/errors';
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

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const newOfficeKey = () => randomBytes(18).toString('base64url');
export const deskToken = (clientId: string, secret: string) => `desk.${clientId}.${secret}`;
export interface OfficeRow {
  id: number;
  name: string;
  district_ids: number[] | null;
  revoked_at: Date | null;
}
export const officeOf = (row: OfficeRow): Office => ({
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
/** The office of an office key (as an administrator types it), or NOT_FOUND. */
export async function officeByKey(db: Sql, key: string): Promise<OfficeRow> {
  const row = (
    await db.query<OfficeRow>('SELECT id, name, district_ids, revoked_at FROM offices WHERE key_hash = $1', [
      sha256(key.trim()),
    ])
  )[0];
  if (!row) throw new AppError('NOT_FOUND', 'No office has this key', { reason: 'office.unknownKey' });
  return row;
}
