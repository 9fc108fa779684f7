// Operators and roles as the administrator manages them: kept by the central service (it holds the
// passwords), so each call needs the connection and the administrator's online session. Also the
// settings screen's "test connection": does this URL and office key reach the service, which office
// is it and which districts does it serve.
import { AppError } from '../../src-shared/errors';
import {
  officeInfoSchema,
  operatorListOutput,
  type OfficeInfo,
  type OperatorAdmin,
  type OperatorCreateInput,
  type OperatorUpdateInput,
} from '../../src-shared/schemas/operators';
import { requestAsOperator, type CentralClient } from './central-client';
import type { CallContext } from './context';
import type { SessionService } from './session';

export function createOperatorsService(client: CentralClient, session: SessionService) {
  /** A request on behalf of the signed-in operator (their central session), or why it cannot be made. */
  const asOperator = (call: CallContext, path: string, body?: unknown): Promise<unknown> =>
    requestAsOperator(client, session.centralSession(call.client), path, {
      body,
      timeoutMs: 20_000,
      reasons: { notConfigured: 'operators.notConfigured', offline: 'operators.offline' },
    });

  const list = async (call: CallContext): Promise<OperatorAdmin[]> =>
    operatorListOutput.parse(await asOperator(call, '/v1/operators')).operators;

  return {
    list,
    create: async (input: OperatorCreateInput, call: CallContext) =>
      operatorListOutput.parse(await asOperator(call, '/v1/operators', input)).operators,
    update: async (input: OperatorUpdateInput, call: CallContext) =>
      operatorListOutput.parse(await asOperator(call, '/v1/operators/update', input)).operators,

    /** Reaches the service with the given address and key (not yet saved), and says what it found. */
    async testCentral(url: string, officeKey: string): Promise<OfficeInfo> {
      const target = { url: url.trim().replace(/\/+$/, ''), key: officeKey.trim() };
      try {
        // The key being tried, not this desk's own credentials (which may be of another office).
        return officeInfoSchema.parse(await client.request(target, '/v1/office', { timeoutMs: 10_000, as: 'office' }));
      } catch (error) {
        const e = AppError.from(error);
        if (e.code === 'UNAUTHORIZED')
          throw new AppError('VALIDATION', 'The office key is not known', {
            reason: 'settings.centralKey',
            fields: [{ path: 'officeKey', code: 'settings.centralKey', message: 'officeKey' }],
          });
        throw new AppError('UNAVAILABLE', e.message, {
          reason: 'settings.centralUnreachable',
          fields: [{ path: 'url', code: 'settings.centralUnreachable', message: 'url' }],
        });
      }
    },
  };
}
