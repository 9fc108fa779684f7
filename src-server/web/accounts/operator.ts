// What operators do for a customer at the desk (POST /v1/web/<action>): register with the IIN/BIN
// compared to the owner's, resend the confirmation, send a reset link, change the email, and block /
// unblock (supervisors). Each action runs in one transaction, limited to the operator's office, and is
// audited whether done or refused.
import { AppError } from '../../../src-shared/errors';
import type { WebActionOutput, WebRegisterInput } from '../../../src-shared/schemas/web';
import type { Sql } from '../../db';
import type { Office } from '../../offices';
import { lockVersions } from '../../schema';
import { webLanguageOf } from '../texts';
import { audit, languageOf, refuse, stateOf, type Actor, type WebContext } from './context';
import { requestEmailChange } from './email-change';
import { letter, link } from './letters';
import * as repo from './repo';
import { endSessions, issueToken } from './tokens';
import { rolesFor } from '../../../src-shared/access';
import type { Role } from '../../../src-shared/schemas/operators';

async function inOffice(sql: Sql, office: Office | null, accountId: number): Promise<repo.AccountRow> {
  const account = await repo.accountRow(sql, accountId);
  if (!account) refuse('NOT_FOUND', 'web.accountNotFound');
  if (office?.districtIds && !office.districtIds.includes(account.district_id))
    refuse('FORBIDDEN', 'web.notYourOffice');
  return account;
}

/** The operator's role (as the service knows it) may do `operation` by the capability table. */
async function requireRoleFor(sql: Sql, operatorId: number | null, operation: 'web.block' | 'web.unblock') {
  const role = operatorId === null ? undefined : await repo.operatorRole(sql, operatorId);
  if (!role || !rolesFor(operation).includes(role as Role)) refuse('FORBIDDEN', 'web.supervisorOnly');
}

export function createOperatorActions(ctx: WebContext) {
  const { db } = ctx;

  /**
   * Runs an operator action in one transaction and audits it, refused or done. The letter is sent
   * before commit (a letter that cannot go changes nothing) and before the replicated row is written:
   * the version lock (schema.ts) is taken only for that last write, never held while the relay answers.
   */
  async function operatorAction(
    actor: Actor,
    accountId: number,
    operation: string,
    details: Record<string, unknown>,
    fn: (sql: Sql) => Promise<string | null>,
  ): Promise<WebActionOutput> {
    try {
      const out = await db.tx(async (sql) => {
        await inOffice(sql, actor.office, accountId);
        const sentTo = await fn(sql);
        return { state: await stateOf(sql, accountId), sentTo };
      });
      await audit(ctx, actor, accountId, operation, 'ok', { ...details, sentTo: out.sentTo });
      return out;
    } catch (error) {
      const reason =
        error instanceof AppError
          ? ((error.details as { reason?: string } | undefined)?.reason ?? error.code)
          : 'INTERNAL';
      await audit(
        ctx,
        actor,
        accountId,
        operation,
        error instanceof AppError && error.code === 'FORBIDDEN' ? 'denied' : 'refused',
        { ...details, reason },
      ).catch(() => undefined);
      throw error;
    }
  }

  return {
    status: (actor: Actor, accountId: number) =>
      db.tx(async (sql) => {
        await inOffice(sql, actor.office, accountId);
        return stateOf(sql, accountId);
      }),

    register: (actor: Actor, input: WebRegisterInput) =>
      operatorAction(actor, input.accountId, 'web.register', { kind: input.kind, email: input.email }, async (sql) => {
        const account = await inOffice(sql, actor.office, input.accountId);
        if (account.closed_on) refuse('CONFLICT', 'web.accountClosed');
        if (account.kind !== input.kind)
          refuse('VALIDATION', 'web.kindMismatch', {
            fields: [{ path: 'kind', code: 'web.kindMismatch', message: 'kind' }],
          });
        if (account.iin_bin !== input.iinBin)
          refuse('VALIDATION', 'web.iinMismatch', {
            fields: [
              {
                path: 'iinBin',
                code: input.kind === 'legal' ? 'web.binMismatch' : 'web.iinMismatch',
                message: 'iinBin',
              },
            ],
          });
        const login = input.kind === 'legal' ? account.contract_number : account.number;
        if (!login) refuse('CONFLICT', 'web.noContract');
        const existing = await repo.webRow(sql, input.accountId, true);
        if (existing) refuse('CONFLICT', 'web.alreadyRegistered', { status: existing.status, login: existing.login });
        if (await repo.emailTaken(sql, input.email, input.accountId))
          refuse('CONFLICT', 'web.emailTaken', {
            fields: [{ path: 'email', code: 'web.emailTaken', message: 'email' }],
          });
        await repo.insertCredentials(
          sql,
          input.accountId,
          input.kind,
          input.kind === 'individual' ? input.phone : null,
          input.kind === 'legal' ? input.organisation : null,
        );
        const language = webLanguageOf(account.language);
        const token = await issueToken(sql, ctx.now, input.accountId, 'confirm', input.email);
        await letter(ctx, input.email, language, 'confirmSubject', 'confirmBody', {
          login,
          link: link(ctx, 'confirm', token, language),
        });
        await lockVersions(sql);
        await repo.insertWebAccount(sql, input.accountId, login, input.email, ctx.now().toISOString());
        return input.email;
      }),

    resend: (actor: Actor, accountId: number) =>
      operatorAction(actor, accountId, 'web.resend', {}, async (sql) => {
        const row = await repo.webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status !== 'pending') refuse('CONFLICT', 'web.notPending', { status: row.status });
        const token = await issueToken(sql, ctx.now, accountId, 'confirm', row.email);
        await letter(ctx, row.email, languageOf(row), 'confirmSubject', 'confirmBody', {
          login: row.login,
          link: link(ctx, 'confirm', token, languageOf(row)),
        });
        return row.email;
      }),

    reset: (actor: Actor, accountId: number, by: 'login' | 'email') =>
      operatorAction(actor, accountId, 'web.reset', { by }, async (sql) => {
        const row = await repo.webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status === 'blocked') refuse('CONFLICT', 'web.blocked');
        if (row.status === 'pending') refuse('CONFLICT', 'web.stillPending');
        const token = await issueToken(sql, ctx.now, accountId, 'reset', row.email);
        await letter(ctx, row.email, languageOf(row), 'resetSubject', 'resetBody', {
          login: row.login,
          link: link(ctx, 'reset', token, languageOf(row)),
        });
        return row.email;
      }),

    changeEmail: (actor: Actor, accountId: number, email: string) =>
      operatorAction(actor, accountId, 'web.changeEmail', { email }, (sql) =>
        requestEmailChange(ctx, sql, accountId, email, (key) =>
          refuse(key === 'emailTaken' ? 'CONFLICT' : 'VALIDATION', `web.${key}`, {
            fields: [{ path: 'email', code: `web.${key}`, message: 'email' }],
          }),
        ),
      ),

    block: (actor: Actor, accountId: number, reason: string) =>
      operatorAction(actor, accountId, 'web.block', { reason }, async (sql) => {
        await requireRoleFor(sql, actor.operatorId, 'web.block');
        const row = await repo.webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status === 'blocked') refuse('CONFLICT', 'web.alreadyBlocked');
        await lockVersions(sql);
        await repo.setWebStatus(sql, accountId, 'blocked');
        await repo.saveBlock(sql, accountId, row.customer_kind ?? 'individual', row.status, reason);
        await endSessions(sql, accountId);
        return null;
      }),

    unblock: (actor: Actor, accountId: number) =>
      operatorAction(actor, accountId, 'web.unblock', {}, async (sql) => {
        await requireRoleFor(sql, actor.operatorId, 'web.unblock');
        const row = await repo.webRow(sql, accountId, true);
        if (!row) refuse('CONFLICT', 'web.notRegistered');
        if (row.status !== 'blocked') refuse('CONFLICT', 'web.notBlocked');
        const back = row.status_before_block === 'pending' ? 'pending' : 'active';
        await lockVersions(sql);
        await repo.setWebStatus(sql, accountId, back);
        await repo.clearBlock(sql, accountId);
        return null;
      }),
  };
}

export type WebOperatorActions = ReturnType<typeof createOperatorActions>;
