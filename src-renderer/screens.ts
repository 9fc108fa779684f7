// The screens of the menu and the operation each one needs: a screen is shown (and can be opened by
// its address) only to the roles the access table lets call it, so the menu and the gate agree.
import { mayCall } from '../src-shared/access';
import type { OperationName } from '../src-shared/contract';
import type { Role } from '../src-shared/schemas/operators';

export const screens = ['search', 'outbox', 'mail', 'held', 'audit', 'operators', 'settings'] as const;
export type Screen = (typeof screens)[number];

/** What a screen calls first; null: every signed-in operator (settings: their own preferences at least). */
const needs: Record<Screen, OperationName | null> = {
  search: null,
  outbox: null,
  mail: null,
  held: 'readings.held',
  audit: 'audit.list',
  operators: 'operators.list',
  settings: null,
};

export function canOpen(role: Role | null | undefined, screen: string): boolean {
  if (!role) return false;
  const op = needs[screen as Screen];
  return op === undefined || op === null || mayCall(role, op);
}
