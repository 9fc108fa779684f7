// A customer's web account as the account card's tab acts on it: its live state from the central
// service, and the operator's actions (each done at once by the service, never queued).
import type { OperationInput, OperationOutput } from '../../src-shared/contract';
import { call } from '../api/client';

type Action = OperationOutput<'web.register'>;

export function useWebAccount(accountId: () => number) {
  const id = () => ({ accountId: accountId() });
  return {
    status: (): Promise<OperationOutput<'web.status'>> => call('web.status', id()),
    register: (
      input:
        | Omit<Extract<OperationInput<'web.register'>, { kind: 'individual' }>, 'accountId'>
        | Omit<Extract<OperationInput<'web.register'>, { kind: 'legal' }>, 'accountId'>,
    ): Promise<Action> => call('web.register', { ...input, ...id() } as OperationInput<'web.register'>),
    resend: (): Promise<Action> => call('web.resend', id()),
    reset: (by: 'login' | 'email'): Promise<Action> => call('web.reset', { ...id(), by }),
    changeEmail: (email: string): Promise<Action> => call('web.changeEmail', { ...id(), email }),
    block: (reason: string): Promise<Action> => call('web.block', { ...id(), reason }),
    unblock: (): Promise<Action> => call('web.unblock', id()),
  };
}
