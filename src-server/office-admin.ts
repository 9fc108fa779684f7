// Administration of offices (npm run server -- office …): offices are data, changed on the service's
// host — add one with its key, revoke it, set its districts, list them, and read a district list from
// the command line. Kept apart from authentication (offices.ts), which every request runs.
import { AppError } from '../src-shared/errors';
import type { ServerDb, Sql } from './db';
import { newOfficeKey, officeByKey, officeOf, sha256, type Office, type OfficeRow } from './offices';

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
