// Customers' web accounts, as the operator manages them for the customer at the counter or on the
// phone. Every action goes to the central service at once (credentials and tokens live only there):
// offline it is refused with a clear reason, never queued half-done. Each action is written to the
// local audit trail with its result; the service keeps its own audit too.
import { AppError } from '../../src-shared/errors';
import {
  webAccountStateSchema,
  webActionOutput,
  type WebAccountState,
  type WebActionOutput,
  type WebOperatorAction,
  type WebRegisterInput,
} from '../../src-shared/schemas/web';
import { createAuditRepo } from '../store/repos/audit';
import type { CentralClient } from './central-client';
import type { CallContext, ServiceContext } from './context';
import type { SessionService } from './session';

/** How long an operator waits for the service before being told it does not answer. */
const TIMEOUT_MS = 20_000;

export function createWebAccountsService(
  ctx: ServiceContext,
  client: CentralClient,
  session: Pick<SessionService, 'centralSession'>,
  options: { onChanged?: () => void } = {},
) {
  const audit = createAuditRepo(ctx.db);
  const accountExists = ctx.db.prepare<[number], number>('SELECT 1 FROM accounts WHERE id = ?').pluck();

  async function remote(action: WebOperatorAction, input: { accountId: number }, call: CallContext): Promise<unknown> {
    if (!accountExists.get(input.accountId))
      throw new AppError('NOT_FOUND', 'No such account', { accountId: input.accountId });
    const target = client.target();
    if (!target) throw new AppError('UNAVAILABLE', 'No central service is configured', { reason: 'web.notConfigured' });
    const token = session.centralSession(call.client);
    if (!token)
      throw new AppError('UNAUTHORIZED', 'Signed in without the connection', { reason: 'session.onlineRequired' });
    try {
      return await client.request(target, `/v1/web/${action}`, {
        method: 'POST',
        body: { input },
        headers: { 'X-Operator-Session': token },
        timeoutMs: TIMEOUT_MS,
        retry: action === 'status',
      });
    } catch (error) {
      const e = AppError.from(error);
      // A service that does not answer: say so in the operator's terms (nothing was done).
      if (e.code === 'UNAVAILABLE' && !(e.details as { reason?: string } | undefined)?.reason?.startsWith('web.'))
        throw new AppError('UNAVAILABLE', e.message, { reason: 'web.offline' });
      throw e;
    }
  }

  async function status(accountId: number, call: CallContext): Promise<WebAccountState> {
    return webAccountStateSchema.parse(await remote('status', { accountId }, call));
  }

  /** Runs an action and records it in the local audit trail, done or refused. */
  async function act(
    action: Exclude<WebOperatorAction, 'status'>,
    input: { accountId: number } & Record<string, unknown>,
    call: CallContext,
    details: Record<string, unknown> = {},
  ): Promise<WebActionOutput> {
    const at = () => ctx.now().toISOString();
    try {
      const out = webActionOutput.parse(await remote(action, input, call));
      audit.record({
        at: at(),
        operatorId: call.operatorId,
        accountId: input.accountId,
        operation: `web.${action}`,
        result: 'ok',
        details: { ...details, sentTo: out.sentTo },
      });
      options.onChanged?.();
      return out;
    } catch (error) {
      const e = AppError.from(error);
      const reason = (e.details as { reason?: string } | undefined)?.reason ?? e.code;
      audit.record({
        at: at(),
        operatorId: call.operatorId,
        accountId: input.accountId,
        operation: `web.${action}`,
        result: e.code === 'FORBIDDEN' ? 'denied' : 'failed',
        details: { ...details, reason },
      });
      throw e;
    }
  }

  return {
    status,
    register: (input: WebRegisterInput, call: CallContext) =>
      act('register', input, call, { kind: input.kind, email: input.email }),
    resend: (accountId: number, call: CallContext) => act('resend', { accountId }, call),
    reset: (accountId: number, by: 'login' | 'email', call: CallContext) =>
      act('reset', { accountId, by }, call, { by }),
    changeEmail: (accountId: number, email: string, call: CallContext) =>
      act('changeEmail', { accountId, email }, call, { email }),
    block: (accountId: number, reason: string, call: CallContext) =>
      act('block', { accountId, reason }, call, { reason }),
    unblock: (accountId: number, call: CallContext) => act('unblock', { accountId }, call),
  };
}
