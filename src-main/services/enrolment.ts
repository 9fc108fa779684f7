// A new desk's first run: the central service's address and a one-time enrolment code an administrator
// made (`npm run server -- office enroll KEY`). The service answers with this PC's own credentials and
// its office; the address and the credentials are stored together or not at all, and the first sync
// starts. No office key is typed on a desk. Until then the desk has no operators and nothing to show,
// so the first-run screen is the only thing it offers (`session.get` says `setup: 'enrol'`).
import { hostname } from 'node:os';
import { AppError } from '../../src-shared/errors';
import { deskEnrollOutput, type DeskEnrollOutput } from '../../src-shared/schemas/sync';
import type { CentralClient } from './central-client';
import type { CallContext, ServiceContext } from './context';
import type { createSettingsService } from './settings';
import type { Identity } from './sync/identity';
import { createAuditRepo } from '../store/repos/audit';

const urlField = (code: string) => ({ fields: [{ path: 'url', code, message: 'url' }] });
const codeField = (code: string) => ({ fields: [{ path: 'code', code, message: 'code' }] });

/** The service's refusals of a code, said under the code field. */
const CODE_REASONS = new Set([
  'enrol.codeFormat',
  'enrol.codeUnknown',
  'enrol.codeUsed',
  'enrol.codeExpired',
  'enrol.tooManyTries',
  'auth.officeRevoked',
]);

export function createEnrolmentService(
  ctx: ServiceContext,
  settings: ReturnType<typeof createSettingsService>,
  central: CentralClient,
  identity: Identity,
) {
  const audit = createAuditRepo(ctx.db);
  const verifiers = ctx.db.prepare<[], number>('SELECT count(*) FROM operator_verifiers').pluck();
  const replicatedOperators = ctx.db.prepare<[], number>('SELECT count(*) FROM operators').pluck();

  /**
   * A fresh install: no service to reach and nobody who could sign in (no operator known here). A demo
   * city, a desk with an office key or one enrolled already is past its first run.
   */
  function needed(): boolean {
    return (
      central.target() === null && identity.token() === null && verifiers.get() === 0 && replicatedOperators.get() === 0
    );
  }

  async function enroll(
    input: { url: string; code: string },
    call: CallContext,
  ): Promise<{ office: DeskEnrollOutput['office'] }> {
    const url = input.url.trim().replace(/\/+$/, '');
    const firstSeq = identity.firstUnheld();
    let answer: DeskEnrollOutput;
    try {
      const result = await central.request({ url, key: '' }, '/v1/desks/enroll', {
        method: 'POST',
        body: { code: input.code, firstSeq, label: hostname().slice(0, 100) || null },
        as: 'none',
        retry: false, // a code is used once: never sent twice by us
        timeoutMs: 20_000,
      });
      const parsed = deskEnrollOutput.safeParse(result);
      if (!parsed.success)
        throw new AppError('BAD_REQUEST', 'The address answered, but not as AquaDesk', { reason: 'sync.notAquaDesk' });
      answer = parsed.data;
    } catch (error) {
      const e = AppError.from(error);
      const reason = (e.details as { reason?: string } | undefined)?.reason ?? '';
      audit.record({
        at: ctx.now().toISOString(),
        operatorId: call.operatorId,
        accountId: null,
        operation: 'desk.enroll',
        result: 'failed',
        details: { url, reason: reason || e.code },
      });
      if (CODE_REASONS.has(reason)) throw new AppError('VALIDATION', e.message, { reason, ...codeField(reason) });
      // Nothing answered there, or something that is not an AquaDesk service.
      const where = e.code === 'UNAVAILABLE' ? 'enrol.unreachable' : 'enrol.notAquaDesk';
      throw new AppError('VALIDATION', e.message, { reason: where, ...urlField(where) });
    }
    // The address and this desk's credentials together, or neither.
    ctx.db.transaction(() => {
      identity.adoptEnrolment(answer.clientId, answer.token, firstSeq);
      settings.set({ central: { url, officeKey: '' } });
      audit.record({
        at: ctx.now().toISOString(),
        operatorId: call.operatorId,
        accountId: null,
        operation: 'desk.enroll',
        result: 'ok',
        details: { url, office: answer.office.name, clientId: answer.clientId },
      });
    })();
    return { office: answer.office };
  }

  return { needed, enroll };
}

export type EnrolmentService = ReturnType<typeof createEnrolmentService>;
