// The customers' web accounts. The central service owns them: credentials, tokens and sessions are
// only here, and the replicated `web_accounts` row carries status, login, email and dates to desktops.
//   operator.ts      what operators do for a customer (register, resend, reset link, email, block / unblock)
//   customer.ts      what the customer does through the links and pages (confirm, reset, sign in, change password / email)
//   email-change.ts  a new address, the one rule both sides use
//   tokens.ts        link tokens and sessions: issued, checked, spent, ended
//   letters.ts       the letters' links and texts, a mail failure as `web.mailFailed`
//   context.ts       what they share: the service context, the actor, refusals, audit, the account's state
//   repo.ts          every SQL statement of the above
import type { WebContext } from './context';
import { stateOf } from './context';
import { createCustomerSteps } from './customer';
import { createOperatorActions } from './operator';

export { CustomerError, type Actor, type CustomerErrorKey, type WebContext } from './context';
export { HOUR_MS, SESSION_LIFETIME_MS, TOKEN_LIFETIME_MS } from './tokens';

export function createWebAccounts(ctx: WebContext) {
  return {
    operator: createOperatorActions(ctx),
    customer: createCustomerSteps(ctx),
    stateOf: (accountId: number) => stateOf(ctx.db, accountId),
  };
}

export type WebAccounts = ReturnType<typeof createWebAccounts>;
