// Operator actions on a customer's web account (/v1/web/:action): they need the connection and are
// never queued. Kept apart from the customers' own pages (web/pages.ts) and from the operators'
// administration: this is the desk's side of the web accounts, one table from action to service call.
import type { z } from 'zod';
import { AppError } from '../../src-shared/errors';
import { webOperatorActions, webOperatorEnvelope, type WebOperatorAction } from '../../src-shared/schemas/web';
import type { Actor } from '../web/accounts';
import { parse, send, type RouteContext } from './context';

export function registerWebActionRoutes({ app, web, operatorOf }: RouteContext): void {
  type Input<A extends WebOperatorAction> = z.output<(typeof webOperatorActions)[A]>;
  const webActions: { [A in WebOperatorAction]: (actor: Actor, input: Input<A>) => Promise<unknown> } = {
    status: (actor, input) => web.operator.status(actor, input.accountId),
    register: (actor, input) => web.operator.register(actor, input),
    resend: (actor, input) => web.operator.resend(actor, input.accountId),
    reset: (actor, input) => web.operator.reset(actor, input.accountId, input.by),
    changeEmail: (actor, input) => web.operator.changeEmail(actor, input.accountId, input.email),
    block: (actor, input) => web.operator.block(actor, input.accountId, input.reason),
    unblock: (actor, input) => web.operator.unblock(actor, input.accountId),
  };

  // The action is named as the desk's operation is (web.changeEmail → /v1/web/changeEmail); 'email' is
  // what desks before 0.2 send for it.
  const LEGACY_WEB_ACTIONS: Record<string, WebOperatorAction> = { email: 'changeEmail' };
  app.post<{ Params: { action: string } }>('/v1/web/:action', async (request, reply) => {
    const action = (LEGACY_WEB_ACTIONS[request.params.action] ?? request.params.action) as WebOperatorAction;
    if (!Object.prototype.hasOwnProperty.call(webOperatorActions, action))
      return send(reply, new AppError('NOT_FOUND', 'No such web account action'));
    const { office, operator } = await operatorOf(request);
    const envelope = parse(webOperatorEnvelope, request.body);
    const input = parse(webOperatorActions[action] as z.ZodType<unknown>, envelope.input);
    const run = webActions[action] as (actor: Actor, input: unknown) => Promise<unknown>;
    return { ok: true, result: await run({ office, operatorId: operator.id }, input) };
  });
}
