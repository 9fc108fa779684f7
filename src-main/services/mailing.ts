// The monthly mailing as a job of the central service (issue 19.5): a supervisor starts it for this
// office's districts, watches it, pauses, resumes or cancels it. Every call goes to the service at once
// with the operator's central session (never queued); offline it says so (reason `mailing.offline`).
import { AppError } from '../../src-shared/errors';
import {
  mailingJobSchema,
  mailingStatusOutput,
  type MailingJob,
  type MailingStatus,
} from '../../src-shared/schemas/mailing';
import type { CentralClient } from './central-client';
import type { CallContext } from './context';
import type { SessionService } from './session';

export function createMailingService(client: CentralClient, session: SessionService) {
  async function asOperator(call: CallContext, path: string, body?: unknown): Promise<unknown> {
    const target = client.target();
    if (!target) throw new AppError('UNAVAILABLE', 'No central service is configured', { reason: 'mailing.offline' });
    const token = session.centralSession(call.client);
    if (!token)
      throw new AppError('UNAUTHORIZED', 'Signed in without the connection', { reason: 'session.onlineRequired' });
    try {
      return await client.request(target, path, {
        method: body === undefined ? 'GET' : 'POST',
        body,
        headers: { 'X-Operator-Session': token },
        timeoutMs: 30_000,
        retry: body === undefined,
      });
    } catch (error) {
      const e = AppError.from(error);
      if (e.code === 'UNAVAILABLE') throw new AppError('UNAVAILABLE', e.message, { reason: 'mailing.offline' });
      throw e;
    }
  }
  const job = async (call: CallContext, path: string, body: unknown = {}): Promise<MailingJob> =>
    mailingJobSchema.parse(await asOperator(call, path, body));
  return {
    start: (period: string | undefined, call: CallContext) => job(call, '/v1/mailing/start', period ? { period } : {}),
    status: async (call: CallContext): Promise<MailingStatus> =>
      mailingStatusOutput.parse(await asOperator(call, '/v1/mailing')),
    pause: (call: CallContext) => job(call, '/v1/mailing/pause'),
    resume: (call: CallContext) => job(call, '/v1/mailing/resume'),
    cancel: (call: CallContext) => job(call, '/v1/mailing/cancel'),
  };
}
