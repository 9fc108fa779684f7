// subscriptions.set on the service: the account must be the office's and, to subscribe, open; the last
// change of a batch wins.
// An address given for an owner who has none on file is stored on the owner too (it replicates to the
// desks with the owner's row), so the next letter to that customer needs no address typed in.
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import { loadAccounts, Rejection, requireInOffice, type AccountFacts, type Applier } from './types';

interface Effect {
  accountId: number;
  email: string;
  subscribed: boolean;
  at: string;
}

export const subscriptionsApplier: Applier<'subscriptions.set', Map<number, AccountFacts>, Effect> = {
  load: (sql, _office, args: MutationArgs<'subscriptions.set'>[]) =>
    loadAccounts(
      sql,
      args.map((a) => a.accountId),
    ),
  check(accounts, office, args, _meta, now) {
    requireInOffice(accounts, office, args.accountId);
    // A closed account gets no letters: a desk that had not yet heard of the closing is refused here.
    if (args.subscribed && accounts.get(args.accountId)!.closedOn !== null)
      throw new Rejection('subscription.accountClosed', `Account ${args.accountId} is closed`);
    return { accountId: args.accountId, email: args.email, subscribed: args.subscribed, at: now.toISOString() };
  },
  async write(sql, effects) {
    const last = [...new Map(effects.map((e) => [e.accountId, e])).values()];
    await sql.query(
      `INSERT INTO subscriptions (account_id, email, subscribed, updated_at)
       SELECT u.account_id, u.email, u.subscribed, u.updated_at FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[]) AS u(account_id, email, subscribed, updated_at)
       ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, subscribed = excluded.subscribed, updated_at = excluded.updated_at`,
      [
        last.map((e) => e.accountId),
        last.map((e) => e.email),
        last.map((e) => (e.subscribed ? 1 : 0)),
        last.map((e) => e.at),
      ],
    );
    await sql.query(
      `UPDATE owners o SET email = u.email FROM unnest($1::bigint[], $2::text[]) AS u(account_id, email), accounts a
        WHERE a.id = u.account_id AND o.id = a.owner_id AND coalesce(o.email, '') = ''`,
      [last.map((e) => e.accountId), last.map((e) => e.email)],
    );
  },
};
