// The operator's door to the services: every call from a window (IPC or the web shell) passes here.
// Nothing but sign-in works without a signed-in operator; a locked screen lets only unlock through;
// each operation's roles are checked, and a refusal is written to the audit trail. The operator
// then travels with the call, so every mutation and audit entry says who made it.
import { isPassive, isPublic, mayCall, worksOnFirstRun, worksWhileLocked } from '../../src-shared/access';
import { isOperationName } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { createAuditRepo } from '../store/repos/audit';
import type { ServiceContext } from './context';
import type { Dispatcher, Outcome } from './dispatch';
import { DEFAULT_CLIENT, type SessionService } from './session';

/** What a window calls: an operation, its input and the client (window, browser) it comes from. */
export type Gate = (name: unknown, input: unknown, client?: string) => Promise<Outcome>;

const fail = (error: AppError) => ({ ok: false as const, error: error.toJSON() });

export function createAccessGate(ctx: ServiceContext, dispatch: Dispatcher, session: SessionService): Gate {
  const audit = createAuditRepo(ctx.db);
  return async (name, input, client = DEFAULT_CLIENT) => {
    if (!isOperationName(name)) return dispatch(name, input);
    const operator = session.operator(client);
    if (isPublic(name))
      return dispatch(name, input, { operatorId: operator?.id ?? null, role: operator?.role ?? null, client });
    // A fresh install has nobody to sign in: its first-run enrolment is open until it is enrolled (later an
    // administrator enrols it again, e.g. after the service revoked it).
    if (worksOnFirstRun(name) && !operator && session.state(client).setup === 'enrol')
      return dispatch(name, input, { operatorId: null, role: null, client });
    if (!operator) return fail(new AppError('UNAUTHORIZED', 'Sign in first', { reason: 'session.signInRequired' }));
    session.touch(!isPassive(name), client);
    if (session.locked(client) && !worksWhileLocked(name))
      return fail(new AppError('UNAUTHORIZED', 'The screen is locked', { reason: 'session.locked' }));
    if (!mayCall(operator.role, name, input)) {
      const accountId = (input as { accountId?: unknown } | null)?.accountId;
      audit.record({
        at: ctx.now().toISOString(),
        operatorId: operator.id,
        accountId: typeof accountId === 'number' && Number.isInteger(accountId) ? accountId : null,
        operation: name,
        result: 'denied',
        details: { reason: 'role', role: operator.role },
      });
      return fail(new AppError('FORBIDDEN', 'Not allowed for this role', { reason: 'session.role' }));
    }
    return dispatch(name, input, { operatorId: operator.id, role: operator.role, client });
  };
}
