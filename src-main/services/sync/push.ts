// The outbox's push (POST /v1/push): everything not yet acknowledged, in seq order, batch by batch;
// each answer settled in one transaction (applied → acknowledged, refused → rejected with the reason's
// code, message and details). The service's «this is not what I hold» answers go to recovery.ts (a new
// identity for what it does not hold, the lost changes sent again) and the push goes on.
import { AppError } from '../../../src-shared/errors';
import { pushResponseSchema, type PushMutation } from '../../../src-shared/schemas/sync';
import type { ServiceContext } from '../context';
import type { CentralClient, CentralTarget } from '../central-client';
import type { Identity } from './identity';
import type { Recovery } from './recovery';

const PUSH_BATCH = 500;

interface OutboxPushRow {
  seq: number;
  name: string;
  args: string;
  operator_id: number | null;
  created_at: string;
}

export function createOutboxPush(
  ctx: ServiceContext,
  client: CentralClient,
  identity: Identity,
  recovery: Recovery,
  emit: () => void,
) {
  const db = ctx.db;
  const unsent = db.prepare<[number], OutboxPushRow>(
    "SELECT seq, name, args, operator_id, created_at FROM outbox WHERE state IN ('pending', 'sent') AND acked_at IS NULL ORDER BY seq LIMIT ?",
  );
  const markAcked = db.prepare<[string, number]>(
    "UPDATE outbox SET state = 'sent', acked_at = ? WHERE seq = ? AND state IN ('pending', 'sent')",
  );
  const markRejected = db.prepare<[string | null, string | null, string | null, string, number]>(
    "UPDATE outbox SET state = 'rejected', error_code = ?, error_message = ?, error_details = ?, settled_at = ? WHERE seq = ? AND state IN ('pending', 'sent')",
  );

  /** Pushes everything not yet acknowledged, batch by batch, in seq order. */
  async function push(target: CentralTarget, below = Infinity): Promise<void> {
    for (;;) {
      const rows = unsent.all(PUSH_BATCH).filter((r) => r.seq < below);
      if (!rows.length) return;
      const mutations: PushMutation[] = rows.map((r) => ({
        seq: r.seq,
        name: r.name,
        args: JSON.parse(r.args) as unknown,
        operatorId: r.operator_id,
        createdAt: r.created_at,
      }));
      let answer: unknown;
      try {
        answer = await client.request(target, '/v1/push', {
          method: 'POST',
          body: { clientId: identity.clientId(), ackedThrough: identity.ackedThrough(), mutations },
        });
      } catch (error) {
        const e = AppError.from(error);
        const details = (e.details ?? {}) as { reason?: string; seq?: number; lastSeq?: number };
        if (details.reason === 'sync.clientDiverged' && typeof details.seq === 'number') {
          // The changes before it are the ones the service recorded: settle them under this identity,
          // then the rest, which the service does not hold, go under a new one.
          if (rows[0]!.seq < details.seq) await push(target, details.seq);
          await recovery.renew(target, details.seq, 'diverged');
          continue;
        }
        if (details.reason === 'sync.serviceBehind' && typeof details.lastSeq === 'number') {
          recovery.serviceLost(details.lastSeq);
          continue;
        }
        if (details.reason === 'sync.unknownClient' || details.reason === 'auth.deskUnknown') {
          await recovery.renew(target, identity.firstUnheld(), 'unknownToService');
          continue;
        }
        throw e;
      }
      const result = pushResponseSchema.parse(answer);
      const at = ctx.now().toISOString();
      db.transaction(() => {
        for (const r of result.results) {
          if (r.status === 'applied') markAcked.run(at, r.seq);
          else markRejected.run(r.code, r.message, r.details ? JSON.stringify(r.details) : null, at, r.seq);
        }
        identity.setAckedThrough(result.lastSeq);
      })();
      emit();
    }
  }

  return push;
}
