// Who may call what: the access gate (main process) refuses by this table, and the renderer shows a
// screen or a button only to the roles this table lets through, so the menu, the gate and the user
// guide agree. Operations not listed are open to every signed-in operator.
import type { OperationName } from './contract';
import type { Role } from './schemas/operators';
import { isPersonalSetting } from './schemas/settings';

const SUPERVISION: readonly Role[] = ['supervisor', 'admin'];
const ADMINISTRATION: readonly Role[] = ['admin'];

export const ROLES: Partial<Record<OperationName, readonly Role[]>> = {
  // The office's settings are the administrator's; each operator's own preferences are open to all.
  'settings.set': ADMINISTRATION,
  'settings.testCentral': ADMINISTRATION,
  'desk.enroll': ADMINISTRATION,
  'audit.list': SUPERVISION,
  'audit.csv': SUPERVISION,
  'audit.operators': SUPERVISION,
  'mail.test': ADMINISTRATION,
  'web.block': SUPERVISION,
  'web.unblock': SUPERVISION,
  'sync.resolve': SUPERVISION,
  'sync.events': SUPERVISION,
  'readings.held': SUPERVISION,
  'readings.review': SUPERVISION,
  'operators.list': SUPERVISION,
  'operators.create': ADMINISTRATION,
  'operators.update': ADMINISTRATION,
};

/** Whether `role` may call `name` with `input` (a settings patch of personal preferences only is anyone's). */
export function mayCall(role: Role, name: OperationName, input?: unknown): boolean {
  if (name === 'settings.set' && input && typeof input === 'object' && Object.keys(input).length > 0 && Object.keys(input).every(isPersonalSetting)) return true;
  const roles = ROLES[name];
  return !roles || roles.includes(role);
}

/** The roles that may call `name` at all. */
export const rolesFor = (name: OperationName): readonly Role[] | null => ROLES[name] ?? null;
