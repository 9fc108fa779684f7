// The operator's door to the services: every call from a window (IPC or the web shell) passes here.
// Nothing but sign-in works without a signed-in operator; a locked screen lets only unlock through;
// each operation's roles are checked, and a refusal is written to the audit trail. The operator
// then travels with the call, so every mutation and audit entry says who made it.
import { isOperationName, type OperationName } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { Role } from '../../src-shared/schemas/operators';
import { createAuditRepo } from '../store/repos/audit';
import type { ServiceContext } from './context';
import type { Dispatcher } from './dispatch';
import type { SessionService } from './session';

/** Works before sign-in. */
const PUBLIC = new Set<OperationName>(['app.info', 'session.get', 'session.signIn']);
/** Works while the screen is locked. */
const WHILE_LOCKED = new Set<OperationName>(['session.unlock', 'session.signOut', 'sync.status']);
/** Polled by the frame: not a sign that the operator is at the PC. */
const PASSIVE = new Set<OperationName>(['session.get', 'sync.status', 'app.info']);

const SUPERVISION: readonly Role[] = ['supervisor', 'admin'];
/** Operations only some roles may call; the rest are open to every signed-in operator. */
export const ROLES: Partial<Record<OperationName, readonly Role[]>> = {
  'settings.set': SUPERVISION,
  'settings.testCentral': SUPERVISION,
  'audit.list': SUPERVISION,
  'audit.csv': SUPERVISION,
  'audit.operators': SUPERVISION,
  'mail.test': SUPERVISION,
  'web.block': SUPERVISION,
  'web.unblock': SUPERVISION,
  'sync.resolve': SUPERVISION,
  'operators.list': SUPERVISION,
  'operators.create': ['admin'],
  'operators.update': ['admin'],
};

/** Settings each operator chooses for themselves (the rest are the office's). */
const PERSONAL_SETTINGS = new Set(['language', 'callCenterMode']);

function allowed(name: OperationName, input: unknown, role: Role): boolean {
  if (name === 'settings.set' && input && typeof input === 'object' && Object.keys(input).every((k) => PERSONAL_SETTINGS.has(k))) return true;
  const roles = ROLES[name];
  return !roles || roles.includes(role);
}

const fail = (error: AppError) => ({ ok: false as const, error: error.toJSON() });

export function createAccessGate(ctx: ServiceContext, dispatch: Dispatcher, session: SessionService): Dispatcher {
  const audit = createAuditRepo(ctx.db);
  return async (name, input) => {
    if (!isOperationName(name)) return dispatch(name, input);
    const operator = session.operator();
    if (PUBLIC.has(name)) return dispatch(name, input, { operatorId: operator?.id ?? null, role: operator?.role ?? null });
    if (!operator) return fail(new AppError('UNAUTHORIZED', 'Sign in first', { reason: 'session.signInRequired' }));
    session.touch(!PASSIVE.has(name));
    if (session.locked() && !WHILE_LOCKED.has(name)) return fail(new AppError('UNAUTHORIZED', 'The screen is locked', { reason: 'session.locked' }));
    if (!allowed(name, input, operator.role)) {
      const accountId = (input as { accountId?: unknown } | null)?.accountId;
      audit.record({ at: ctx.now().toISOString(), operatorId: operator.id, accountId: typeof accountId === 'number' && Number.isInteger(accountId) ? accountId : null, operation: name, result: 'denied', details: { reason: 'role', role: operator.role } });
      return fail(new AppError('FORBIDDEN', 'Not allowed for this role', { reason: 'session.role' }));
    }
    return dispatch(name, input, { operatorId: operator.id, role: operator.role });
  };
}
