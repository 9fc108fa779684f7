// Push: a desk's outbox mutations applied exactly once, in seq order, in one transaction per batch.
// - Who: the desk is the one its credentials name; a mutation may name only an operator who signed in
//   at that desk (the service's own record), else it is refused.
// - Once: a seq the service already holds is answered from its record, but only if it is the same
//   change (its fingerprint); another change under a held seq means the desk's data folder was restored
//   or copied, and the push is refused as diverged (the desk takes a new identity and resends).
//   A desk that knows of acknowledgements the service does not have was talking to a database since
//   restored: refused as `sync.serviceBehind`, so the desk resends what the service lost.
// - What: every argument is checked by the shared schemas; each mutation kind checks the batch against
//   what the service holds (reads and row locks only) and writes the accepted effects set-based under
//   the version lock, taken last. A refusal writes nothing and does not block the ones behind it; a
//   write the database rejects makes the batch run again one mutation at a time behind savepoints.
import { createHash } from 'node:crypto';
import { AppError } from '../src-shared/errors';
import { deepTextProblem } from '../src-shared/schemas/text';
import { mutationArgs, type MutationName } from '../src-shared/schemas/outbox';
import type { MutationResult, PushMutation, PushRequest, PushResponse } from '../src-shared/schemas/sync';
import { appliers } from './appliers';
import { Rejection, type MutationMeta } from './appliers/types';
import type { ServerDb, Sql } from './db';
import type { Caller } from './offices';
import { verifiedOperators } from './operators';
import { lockVersions } from './schema';

export const fingerprintOf = (m: PushMutation) =>
  createHash('sha256')
    .update(JSON.stringify([m.name, m.args, m.operatorId, m.createdAt]))
    .digest('base64url');

const known = (name: string): name is MutationName => Object.prototype.hasOwnProperty.call(mutationArgs, name);

export async function applyPush(
  db: ServerDb,
  caller: Caller,
  request: PushRequest,
  now: () => Date = () => new Date(),
): Promise<PushResponse> {
  if (request.clientId !== caller.clientId)
    throw new AppError('FORBIDDEN', 'A desk pushes only its own changes', { reason: 'sync.notYourDesk' });
  for (let i = 1; i < request.mutations.length; i++) {
    if (request.mutations[i]!.seq <= request.mutations[i - 1]!.seq)
      throw new AppError('BAD_REQUEST', 'Mutations must be in increasing seq order', { at: request.mutations[i]!.seq });
  }
  try {
    return await applyBatch(db, caller, request, now, false);
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A database error in the batch's writes: apply it again mutation by mutation behind savepoints,
    // so the one that fails is refused and the ones behind it are not blocked.
    return applyBatch(db, caller, request, now, true);
  }
}

interface Checked {
  mutation: PushMutation;
  result: MutationResult;
  /** the applier and the effect to write (accepted mutations only) */
  write?: { name: MutationName; effect: unknown };
}

async function applyBatch(
  db: ServerDb,
  caller: Caller,
  request: PushRequest,
  now: () => Date,
  careful: boolean,
): Promise<PushResponse> {
  return db.tx(async (sql) => {
    const client = (
      await sql.query<{ last_seq: number }>('SELECT last_seq FROM clients WHERE client_id = $1 FOR UPDATE', [
        request.clientId,
      ])
    )[0];
    if (!client) throw new AppError('CONFLICT', 'Unknown desk', { reason: 'sync.unknownClient' });
    const lastSeq = Number(client.last_seq);
    if (request.ackedThrough > lastSeq) {
      throw new AppError(
        'CONFLICT',
        'The service holds less than it acknowledged to this desk (its database was restored)',
        { reason: 'sync.serviceBehind', lastSeq },
      );
    }
    const results: MutationResult[] = [];
    const replayed = request.mutations.filter((m) => m.seq <= lastSeq);
    if (replayed.length) {
      const recorded = await sql.query<{
        seq: number;
        status: 'applied' | 'rejected';
        code: string | null;
        message: string | null;
        details: Record<string, unknown> | null;
        fingerprint: string | null;
      }>(
        'SELECT seq, status, code, message, details, fingerprint FROM mutation_results WHERE client_id = $1 AND seq = ANY($2::bigint[])',
        [request.clientId, replayed.map((m) => m.seq)],
      );
      const bySeq = new Map(recorded.map((r) => [Number(r.seq), r]));
      for (const m of replayed) {
        const r = bySeq.get(m.seq);
        // Answered from the record only when it is the very change recorded.
        if (!r || (r.fingerprint !== null && r.fingerprint !== fingerprintOf(m))) {
          throw new AppError(
            'CONFLICT',
            'The service holds another change under this seq: the desk was restored or copied',
            { reason: 'sync.clientDiverged', seq: m.seq },
          );
        }
        results.push({ seq: m.seq, status: r.status, code: r.code, message: r.message, details: r.details });
      }
    }
    const fresh = request.mutations.filter((m) => m.seq > lastSeq);
    if (!fresh.length) return { results, lastSeq };

    const checked = await check(sql, caller, fresh, now());
    for (const c of checked) {
      if (c.write && careful) {
        await sql.exec('SAVEPOINT m');
        try {
          await lockVersions(sql);
          await appliers[c.write.name].write(sql, [c.write.effect]);
          await sql.exec('RELEASE SAVEPOINT m');
        } catch (error) {
          await sql.exec('ROLLBACK TO SAVEPOINT m; RELEASE SAVEPOINT m');
          c.result = {
            seq: c.mutation.seq,
            status: 'rejected',
            code: 'sync.writeFailed',
            message: error instanceof Error ? error.message : String(error),
            details: null,
          };
          delete c.write;
        }
      }
    }
    if (!careful) {
      const byName = new Map<MutationName, unknown[]>();
      for (const c of checked)
        if (c.write) byName.set(c.write.name, [...(byName.get(c.write.name) ?? []), c.write.effect]);
      if (byName.size) await lockVersions(sql); // see schema.ts: after every read and row lock, just before the writes
      for (const [name, effects] of byName) await appliers[name].write(sql, effects);
    }
    const newLast = fresh[fresh.length - 1]!.seq;
    await sql.query(
      `INSERT INTO mutation_results (client_id, seq, name, status, code, message, details, operator_id, fingerprint)
       SELECT $1, u.seq, u.name, u.status, u.code, u.message, u.details, u.operator_id, u.fingerprint
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::bigint[], $9::text[]) AS u(seq, name, status, code, message, details, operator_id, fingerprint)`,
      [
        request.clientId,
        checked.map((c) => c.mutation.seq),
        checked.map((c) => c.mutation.name),
        checked.map((c) => c.result.status),
        checked.map((c) => c.result.code),
        checked.map((c) => c.result.message),
        checked.map((c) => (c.result.details ? JSON.stringify(c.result.details) : null)),
        checked.map((c) => c.mutation.operatorId),
        checked.map((c) => fingerprintOf(c.mutation)),
      ],
    );
    await sql.query('UPDATE clients SET last_seq = $1, seen_at = now() WHERE client_id = $2', [
      newLast,
      request.clientId,
    ]);
    return { results: [...results, ...checked.map((c) => c.result)], lastSeq: newLast };
  });
}

/** Validates and checks the new mutations of a batch in seq order (reads and row locks only). */
async function check(sql: Sql, caller: Caller, fresh: PushMutation[], now: Date): Promise<Checked[]> {
  const verified = await verifiedOperators(
    sql,
    caller,
    fresh.flatMap((m) => (m.operatorId === null ? [] : [m.operatorId])),
  );
  const parsed = fresh.map((m) => {
    if (!known(m.name))
      return { m, refusal: new Rejection('sync.unknownMutation', `Unknown mutation ${m.name.slice(0, 64)}`) };
    const problem = deepTextProblem(m.args);
    if (problem) return { m, refusal: new Rejection('sync.malformed', `args: ${problem}`) };
    const args = mutationArgs[m.name].safeParse(m.args);
    if (!args.success)
      return {
        m,
        refusal: new Rejection(
          'sync.malformed',
          args.error.issues
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')
            .slice(0, 500),
        ),
      };
    if (m.operatorId === null || !verified.has(m.operatorId)) {
      return {
        m,
        refusal: new Rejection('sync.operatorUnverified', 'The operator has not signed in at this desk', {
          operatorId: m.operatorId,
        }),
      };
    }
    return { m, name: m.name, args: args.data };
  });
  // Each kind loads what its checks need for the whole batch at once.
  const contexts = new Map<MutationName, unknown>();
  for (const name of Object.keys(appliers) as MutationName[]) {
    const args = parsed.flatMap((p) => (p.name === name ? [p.args] : []));
    if (args.length) contexts.set(name, await appliers[name].load(sql, caller.office, args as never));
  }
  const out: Checked[] = [];
  for (const p of parsed) {
    if (!('name' in p) || !p.name) {
      out.push({
        mutation: p.m,
        result: {
          seq: p.m.seq,
          status: 'rejected',
          code: p.refusal!.code,
          message: p.refusal!.message,
          details: p.refusal!.details,
        },
      });
      continue;
    }
    const meta: MutationMeta = {
      seq: p.m.seq,
      clientId: caller.clientId!,
      operatorId: p.m.operatorId!,
      role: verified.get(p.m.operatorId!)!,
      createdAt: p.m.createdAt,
    };
    const applier = appliers[p.name];
    try {
      const effect = applier.check(contexts.get(p.name), caller.office, p.args as never, meta, now);
      out.push({
        mutation: p.m,
        result: { seq: p.m.seq, status: 'applied', code: null, message: null, details: null },
        write: { name: p.name, effect },
      });
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      await applier.explain?.(sql, error);
      out.push({
        mutation: p.m,
        result: { seq: p.m.seq, status: 'rejected', code: error.code, message: error.message, details: error.details },
      });
    }
  }
  return out;
}
