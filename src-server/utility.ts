// The utility's requisites on the service: the one row of `utility` (src-shared/schemas/utility.ts),
// replicated to every desk. Read by the monthly mailing for every letter and PDF; written by an
// administrator from a desk (POST /v1/utility, operation utility.set). Until the first write the
// service prints what it was started with (AQUADESK_UTILITY, else the built-in requisites).
import { validationError } from '../src-shared/errors';
import {
  defaultRequisites,
  parseRequisites,
  requisitesInputSchema,
  type Requisites,
  type RequisitesState,
} from '../src-shared/schemas/utility';
import type { ServerDb, Sql } from './db';
import { lockVersions } from './schema';

/** The stored requisites, else `fallback` (the service's start-up ones), else the built-in ones. */
export async function readRequisites(sql: Sql, fallback?: Requisites): Promise<RequisitesState> {
  const row = (
    await sql.query<{ requisites: string; updated_at: string | null }>(
      'SELECT requisites, updated_at FROM utility WHERE id = 1',
    )
  )[0];
  const stored = row ? parseRequisites(JSON.parse(row.requisites)) : null;
  if (stored) return { requisites: stored, updatedAt: row!.updated_at };
  return { requisites: fallback ?? defaultRequisites, updatedAt: null };
}

/** Replaces the requisites (whole): every desk gets the new row with its next pull. */
export async function writeRequisites(db: ServerDb, input: unknown, now: Date): Promise<RequisitesState> {
  const parsed = requisitesInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const updatedAt = now.toISOString();
  await db.tx(async (sql) => {
    await lockVersions(sql); // the replicated row changes (see schema.ts)
    await sql.query(
      'INSERT INTO utility (id, requisites, updated_at) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET requisites = excluded.requisites, updated_at = excluded.updated_at',
      [JSON.stringify(parsed.data), updatedAt],
    );
  });
  return { requisites: parsed.data, updatedAt };
}
