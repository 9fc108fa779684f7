// What a mutation kind is on the service: it loads what its checks need for a whole batch at once,
// checks each mutation in seq order against that (a refusal is thrown as a Rejection and writes
// nothing), and writes the accepted effects of the batch in a few set-based statements.
import type { MutationArgs, MutationName } from '../../src-shared/schemas/outbox';
import type { Role } from '../../src-shared/schemas/operators';
import type { Sql } from '../db';
import type { Office } from '../offices';

export class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

export interface MutationMeta {
  seq: number;
  clientId: string;
  operatorId: number;
  /** the operator's role as the service knows it (never as the desk says) */
  role: Role;
  createdAt: string;
}

export interface Applier<N extends MutationName, Context, Effect> {
  load(sql: Sql, office: Office, args: MutationArgs<N>[]): Promise<Context>;
  /** Checks one mutation (reads `context` only, and records its own effect in it for the ones behind). */
  check(context: Context, office: Office, args: MutationArgs<N>, meta: MutationMeta, now: Date): Effect;
  /** Writes effects in seq order; `careful` writes them one at a time (each behind its own savepoint). */
  write(sql: Sql, effects: Effect[]): Promise<void>;
  /** Names for the details of a refusal that need another query (e.g. who entered a conflicting reading). */
  explain?(sql: Sql, rejection: Rejection): Promise<void>;
}

/** Account rows a batch touches: district and whether it is closed. */
export interface AccountFacts {
  district: number | null;
  /** the day the account was closed (yyyy-MM-dd), null while open */
  closedOn: string | null;
}

export async function loadAccounts(sql: Sql, ids: number[]): Promise<Map<number, AccountFacts>> {
  const rows = await sql.query<{ id: number; district_id: number | null; closed_on: string | null }>(
    'SELECT id, district_id, closed_on FROM accounts WHERE id = ANY($1::bigint[])',
    [[...new Set(ids)]],
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { district: r.district_id === null ? null : Number(r.district_id), closedOn: r.closed_on ?? null },
    ]),
  );
}

export function requireInOffice(accounts: Map<number, AccountFacts>, office: Office, accountId: number): void {
  const account = accounts.get(accountId);
  if (!account || account.district === null) throw new Rejection('sync.accountNotFound', `No account ${accountId}`);
  if (office.districtIds && !office.districtIds.includes(account.district))
    throw new Rejection('sync.notYourOffice', 'The account belongs to another office');
}
