// The monthly breakdown mailing (seed: «Подписаться на рассылку» / «Отписаться от рассылки»).
// subscriptions.set is a mutation through the outbox, so it works offline and syncs later; the
// state shown is the replicated row overlaid by the latest local change not yet accepted.
import { AppError } from '../../src-shared/errors';
import type { SubscriptionState } from '../../src-shared/schemas/subscriptions';
import { createAuditRepo } from '../store/repos/audit';
import { argsOf, createOutboxRepo } from '../store/repos/outbox';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import type { CallContext, ServiceContext } from './context';

/** The args of a `subscriptions.set` mutation (the shared schema's type). */
export type SubscriptionMutationArgs = MutationArgs<'subscriptions.set'>;

export function createSubscriptionsService(ctx: ServiceContext) {
  const outbox = createOutboxRepo(ctx.db);
  const audit = createAuditRepo(ctx.db);
  const replicated = ctx.db.prepare<[number], { email: string; subscribed: number }>(
    'SELECT email, subscribed FROM subscriptions WHERE account_id = ?',
  );
  const ownerEmail = ctx.db
    .prepare<[number], string | null>(
      'SELECT o.email FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE a.id = ?',
    )
    .pluck();
  const accountRow = ctx.db.prepare<[number], { closed_on: string | null }>(
    'SELECT closed_on FROM accounts WHERE id = ?',
  );

  function get(accountId: number): SubscriptionState {
    const account = accountRow.get(accountId);
    if (!account) throw new AppError('NOT_FOUND', 'No such account', { accountId });
    const closedOn = account.closed_on;
    const local = outbox.openForAccount(accountId, 'subscriptions.set').filter((row) => row.state !== 'rejected');
    const latest = local[local.length - 1];
    if (latest) {
      const args = argsOf('subscriptions.set', latest);
      return { accountId, subscribed: args.subscribed, email: args.email, pending: true, closedOn };
    }
    const row = replicated.get(accountId);
    return {
      accountId,
      subscribed: row?.subscribed === 1,
      email: row?.email ?? ownerEmail.get(accountId) ?? null,
      pending: false,
      closedOn,
    };
  }

  const write = ctx.db.transaction((args: SubscriptionMutationArgs, operatorId: number | null, at: string) => {
    const seq = outbox.enqueue('subscriptions.set', args, args.accountId, operatorId, at);
    audit.record({
      at,
      operatorId,
      accountId: args.accountId,
      operation: 'subscriptions.set',
      result: 'ok',
      details: { seq, subscribed: args.subscribed },
    });
  });

  function set(
    input: { accountId: number; subscribed: boolean; email?: string },
    call: CallContext,
  ): SubscriptionState {
    const current = get(input.accountId);
    // Nothing is mailed for a closed account: it is not subscribed (unsubscribing stays possible).
    if (input.subscribed && current.closedOn) {
      throw new AppError('VALIDATION', 'The account is closed', {
        fields: [{ path: 'subscribed', code: 'subscription.accountClosed', message: 'The account is closed' }],
        closedOn: current.closedOn,
      });
    }
    const email = input.email ?? current.email;
    if (!email) {
      throw new AppError('VALIDATION', 'No email to send the breakdown to', {
        fields: [{ path: 'email', code: 'subscription.emailRequired', message: 'Email required' }],
      });
    }
    write(
      { accountId: input.accountId, subscribed: input.subscribed, email },
      call.operatorId,
      ctx.now().toISOString(),
    );
    return get(input.accountId);
  }

  return { get, set };
}
