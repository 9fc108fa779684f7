// Push: a client's outbox mutations applied exactly once, in seq order. One transaction per batch;
// each mutation in its own savepoint, so a business refusal rolls back only that mutation and is
// recorded as a rejection that does not block the ones behind it; the client's last_seq and every
// result are written in the same transaction, so a repeated batch is answered from the record.
import { almatyDate, periodOf } from '../src-shared/domain/period';
import { AppError } from '../src-shared/errors';
import { mutationArgs, type MutationName, type MutationResult, type PushRequest, type PushResponse } from '../src-shared/schemas/sync';
import type { ServerDb, Sql } from './db';
import { lockVersions } from './schema';

export interface Office {
  key: string;
  districtIds: number[] | null;
}

class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Args<N extends MutationName> = ReturnType<(typeof mutationArgs)[N]['parse']>;

/** Accounts already checked in this batch (a batch often touches one account many times). */
const checked = new WeakMap<Sql, Map<number, number | null>>();

async function accountInOffice(sql: Sql, office: Office, accountId: number): Promise<void> {
  let seen = checked.get(sql);
  if (!seen) checked.set(sql, (seen = new Map()));
  let district = seen.get(accountId);
  if (district === undefined) {
    const rows = await sql.query<{ district_id: number }>('SELECT district_id FROM accounts WHERE id = $1', [accountId]);
    district = rows[0]?.district_id ?? null;
    seen.set(accountId, district);
  }
  if (district === null) throw new Rejection('sync.accountNotFound', `No account ${accountId}`);
  if (office.districtIds && !office.districtIds.includes(district)) throw new Rejection('sync.notYourOffice', 'The account belongs to another office');
}

/**
 * Each mutation is checked first (reads only; a business refusal is thrown here) and then written by
 * the function the check returns, which never refuses. So a refused mutation has written nothing.
 */
type Write = () => Promise<void>;
const appliers: { [N in MutationName]: (sql: Sql, office: Office, args: Args<N>, operatorId: number | null, now: Date) => Promise<Write> } = {
  async 'readings.submit'(sql, office, args, _operatorId, now) {
    await accountInOffice(sql, office, args.accountId);
    const meter = await sql.query<{ account_id: number }>('SELECT account_id FROM meters WHERE id = $1', [args.meterId]);
    if (!meter.length || meter[0]!.account_id !== args.accountId) throw new Rejection('reading.meterNotOnAccount', 'The meter is not on this account');
    if (args.period < periodOf(almatyDate(now))) throw new Rejection('reading.periodClosed', `The period ${args.period} is closed`);
    const around = await sql.query<{ later: boolean; previous: number | null; current: number | null }>(
      `SELECT EXISTS (SELECT 1 FROM readings WHERE meter_id = $1 AND period > $2) AS later,
              (SELECT value_litres FROM readings WHERE meter_id = $1 AND period < $2 ORDER BY read_on DESC, id DESC LIMIT 1) AS previous,
              (SELECT id FROM readings WHERE meter_id = $1 AND period = $2 ORDER BY id DESC LIMIT 1) AS current`,
      [args.meterId, args.period],
    );
    const { later, previous, current } = around[0]!;
    if (later) throw new Rejection('reading.periodClosed', 'A later period has readings already');
    if (args.kind === 'normal' && previous !== null && args.valueLitres < previous) throw new Rejection('reading.lowerThanRecorded', 'Lower than the reading recorded since');
    if (current !== null) {
      return async () => void (await sql.query("UPDATE readings SET value_litres = $1, read_on = $2, source = 'operator', kind = $3 WHERE id = $4", [args.valueLitres, args.readOn, args.kind, current]));
    }
    return async () =>
      void (await sql.query("INSERT INTO readings (id, meter_id, period, value_litres, read_on, source, kind) VALUES (nextval('readings_id'), $1, $2, $3, $4, 'operator', $5)", [
        args.meterId, args.period, args.valueLitres, args.readOn, args.kind,
      ]));
  },
  async 'subscriptions.set'(sql, office, args, _operatorId, now) {
    await accountInOffice(sql, office, args.accountId);
    return async () =>
      void (await sql.query(
        `INSERT INTO subscriptions (account_id, email, subscribed, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, subscribed = excluded.subscribed, updated_at = excluded.updated_at`,
        [args.accountId, args.email, args.subscribed ? 1 : 0, now.toISOString()],
      ));
  },
};

export async function applyPush(db: ServerDb, office: Office, request: PushRequest, now: () => Date = () => new Date()): Promise<PushResponse> {
  try {
    return await applyBatch(db, office, request, now, false);
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A database error somewhere in the batch: apply it again mutation by mutation behind savepoints,
    // so the one that fails is refused and the ones behind it are not blocked.
    return applyBatch(db, office, request, now, true);
  }
}

async function applyBatch(db: ServerDb, office: Office, request: PushRequest, now: () => Date, careful: boolean): Promise<PushResponse> {
  return db.tx(async (sql) => {
    await lockVersions(sql); // see schema.ts
    await sql.query('INSERT INTO clients (client_id, office_key) VALUES ($1, $2) ON CONFLICT (client_id) DO NOTHING', [request.clientId, office.key]);
    const client = (await sql.query<{ office_key: string; last_seq: number }>('SELECT office_key, last_seq FROM clients WHERE client_id = $1 FOR UPDATE', [request.clientId]))[0]!;
    if (client.office_key !== office.key) throw new AppError('FORBIDDEN', 'This client belongs to another office');
    const seqs = request.mutations.map((m) => m.seq);
    for (let i = 1; i < seqs.length; i++) {
      if (seqs[i] !== seqs[i - 1]! + 1) throw new AppError('BAD_REQUEST', 'Mutations must be in consecutive seq order', { at: seqs[i] });
    }
    const fresh = request.mutations.filter((m) => m.seq > client.last_seq);
    if (fresh.length && fresh[0]!.seq !== client.last_seq + 1) {
      throw new AppError('CONFLICT', 'A seq gap: earlier mutations are missing', { expected: client.last_seq + 1, got: fresh[0]!.seq });
    }
    const results: MutationResult[] = [];
    // Already applied: answered from the record, never applied again.
    const replayed = request.mutations.filter((m) => m.seq <= client.last_seq);
    if (replayed.length) {
      const recorded = await sql.query<{ seq: number; status: 'applied' | 'rejected'; code: string | null; message: string | null }>(
        'SELECT seq, status, code, message FROM mutation_results WHERE client_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq',
        [request.clientId, replayed[0]!.seq, replayed[replayed.length - 1]!.seq],
      );
      results.push(...recorded);
    }
    let lastSeq = client.last_seq;
    const recorded: unknown[][] = [];
    for (const mutation of fresh) {
      let result: MutationResult;
      if (careful) await sql.exec('SAVEPOINT m');
      try {
        const spec = mutationArgs[mutation.name as MutationName];
        if (!spec) throw new Rejection('sync.unknownMutation', `Unknown mutation ${mutation.name}`);
        const parsed = spec.safeParse(mutation.args);
        if (!parsed.success) throw new Rejection('sync.malformed', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const apply = appliers[mutation.name as MutationName] as (sql: Sql, office: Office, args: unknown, operatorId: number | null, now: Date) => Promise<Write>;
        const write = await apply(sql, office, parsed.data, mutation.operatorId, now());
        await write();
        if (careful) await sql.exec('RELEASE SAVEPOINT m');
        result = { seq: mutation.seq, status: 'applied', code: null, message: null };
      } catch (error) {
        if (error instanceof Rejection) {
          if (careful) await sql.exec('ROLLBACK TO SAVEPOINT m; RELEASE SAVEPOINT m');
          result = { seq: mutation.seq, status: 'rejected', code: error.code, message: error.message };
        } else if (careful && !(error instanceof AppError)) {
          await sql.exec('ROLLBACK TO SAVEPOINT m; RELEASE SAVEPOINT m');
          result = { seq: mutation.seq, status: 'rejected', code: 'sync.writeFailed', message: error instanceof Error ? error.message : String(error) };
        } else throw error;
      }
      recorded.push([request.clientId, mutation.seq, mutation.name, result.status, result.code, result.message, mutation.operatorId]);
      results.push(result);
      lastSeq = mutation.seq;
    }
    for (let i = 0; i < recorded.length; i += 1_000) {
      const chunk = recorded.slice(i, i + 1_000);
      const values = chunk.map((_, r) => `(${Array.from({ length: 7 }, (__, c) => `$${r * 7 + c + 1}`).join(',')})`).join(',');
      await sql.query(`INSERT INTO mutation_results (client_id, seq, name, status, code, message, operator_id) VALUES ${values}`, chunk.flat());
    }
    await sql.query('UPDATE clients SET last_seq = $1, seen_at = now() WHERE client_id = $2', [lastSeq, request.clientId]);
    return { results, lastSeq };
  });
}
