// The monthly mailing as a job of the central service (issue 19.5): a supervisor starts it for this
// office's districts, watches it, pauses, resumes or cancels it. Every call goes to the service at once
// with the operator's central session (never queued); offline it says so (reason `mailing.offline`).
import {
  mailingJobSchema,
  mailingStatusOutput,
  type MailingJob,
  type MailingStatus,
} from '../../src-shared/schemas/mailing';
import { requestAsOperator, type CentralClient } from './central-client';
import type { CallContext } from './context';
import type { SessionService } from './session';

export function createMailingService(client: CentralClient, session: SessionService) {
  const asOperator = (call: CallContext, path: string, body?: unknown): Promise<unknown> =>
    requestAsOperator(client, session.centralSession(call.client), path, {
      body,
      timeoutMs: 30_000,
      reasons: { notConfigured: 'mailing.offline', offline: 'mailing.offline' },
    });
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
