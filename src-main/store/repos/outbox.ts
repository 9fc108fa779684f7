// The outbox: local changes as named mutations, in per-client seq order, pushed by the sync engine.
// Its pending / sent / rejected rows are also the "pending changes" overlay the UI shows.
import type { Db } from '../db';
import { clientIdOf } from './sync-state';
import type { MutationArgs, MutationName } from '../../../src-shared/schemas/outbox';

export interface OutboxRow {
  seq: number;
  name: string;
  args: string;
  account_id: number | null;
  operator_id: number | null;
  created_at: string;
  state: 'pending' | 'sent' | 'applied' | 'rejected' | 'dismissed';
  error_code: string | null;
  error_message: string | null;
  error_details: string | null;
}

export function createOutboxRepo(db: Db) {
  const insert = db.prepare<[string, string, string, number | null, number | null, string]>(
    'INSERT INTO outbox (client_id, name, args, account_id, operator_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byAccountAndName = db.prepare<[number, string], OutboxRow>(
    "SELECT seq, name, args, account_id, operator_id, created_at, state, error_code, error_message, error_details FROM outbox WHERE account_id = ? AND name = ? AND state IN ('pending', 'sent', 'rejected') ORDER BY seq",
  );
  const openByName = db.prepare<[string], OutboxRow>(
    "SELECT seq, name, args, account_id, operator_id, created_at, state, error_code, error_message, error_details FROM outbox WHERE name = ? AND state IN ('pending', 'sent') ORDER BY seq",
  );
  const pendingCount = db
    .prepare<[number], number>(
      "SELECT count(*) FROM outbox WHERE account_id = ? AND state IN ('pending', 'sent', 'rejected')",
    )
    .pluck();

  return {
    /**
     * Must run inside the caller's transaction together with whatever else the change writes. Stamped
     * with the identity the service issued this desk ('' before its first connection; unacknowledged
     * rows move along when an identity is issued or renewed).
     */
    enqueue<N extends MutationName>(
      name: N,
      args: MutationArgs<N>,
      accountId: number | null,
      operatorId: number | null,
      createdAt: string,
    ): number {
      return Number(
        insert.run(clientIdOf(db) ?? '', name, JSON.stringify(args), accountId, operatorId, createdAt).lastInsertRowid,
      );
    },
    openForAccount(accountId: number, name: MutationName): OutboxRow[] {
      return byAccountAndName.all(accountId, name);
    },
    /** Changes of one kind not yet accepted or refused, on every account. */
    open(name: MutationName): OutboxRow[] {
      return openByName.all(name);
    },
    pendingForAccount(accountId: number): number {
      return pendingCount.get(accountId) ?? 0;
    },
  };
}

/** A stored change's arguments, typed by its name (they were checked by the same schema when enqueued). */
export function argsOf<N extends MutationName>(_name: N, row: Pick<OutboxRow, 'args'>): MutationArgs<N> {
  return JSON.parse(row.args) as MutationArgs<N>;
}
