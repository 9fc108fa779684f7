// What the operator actions and the customer steps share: the service they run in, who acts, the two
// kinds of refusal (an operator's AppError with its reason, a customer's page message), the audit
// row, and the account's web state as the desk shows it.
import { AppError } from '../../../src-shared/errors';
import type { WebAccountState } from '../../../src-shared/schemas/web';
import type { ServerDb, Sql } from '../../db';
import type { ServerMailer } from '../../mailer';
import type { Office } from '../../offices';
import { webLanguageOf, type WebLanguage, type WebTexts } from '../texts';
import * as repo from './repo';

export interface WebContext {
  db: ServerDb;
  mailer: ServerMailer;
  /** Where customers open the links, e.g. https://lk.vodokanal.kz (no trailing slash). */
  publicUrl: () => string;
  now: () => Date;
}

export interface Actor {
  office: Office | null;
  operatorId: number | null;
}

export type CustomerErrorKey = keyof WebTexts['errors'];

/** A refusal shown to the customer on the page, in their language. */
export class CustomerError extends Error {
  constructor(readonly key: CustomerErrorKey) {
    super(key);
  }
}

/** An operator's refusal: the desk shows `reason` (its i18n key) and the audit row records it. */
export function refuse(
  code: 'CONFLICT' | 'VALIDATION' | 'NOT_FOUND' | 'FORBIDDEN',
  reason: string,
  details: Record<string, unknown> = {},
): never {
  throw new AppError(code, reason, { reason, ...details });
}

export const languageOf = (row: { language: string | null }): WebLanguage => webLanguageOf(row.language);

/** One `server_audit` row, outside any transaction (PGlite has one connection). */
export async function audit(
  ctx: WebContext,
  actor: Actor,
  accountId: number | null,
  operation: string,
  result: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await repo.insertAudit(ctx.db, {
    at: ctx.now(),
    officeId: actor.office?.id ?? null,
    operatorId: actor.operatorId,
    accountId,
    operation,
    result,
    details,
  });
}

export async function stateOf(sql: Sql, accountId: number): Promise<WebAccountState> {
  const row = await repo.webRow(sql, accountId);
  if (!row) {
    return {
      accountId,
      status: 'none',
      customerKind: null,
      login: null,
      email: null,
      pendingEmail: null,
      registeredAt: null,
      lastSignInAt: null,
      hasPassword: false,
      confirmationSentAt: null,
    };
  }
  const sent = row.status === 'pending' ? await repo.confirmationSentAt(sql, accountId) : null;
  return {
    accountId,
    status: row.status,
    customerKind: row.customer_kind,
    login: row.login,
    email: row.email,
    pendingEmail: row.pending_email,
    registeredAt: row.registered_at,
    lastSignInAt: row.last_sign_in_at,
    hasPassword: row.password_hash !== null,
    confirmationSentAt: sent ? new Date(sent).toISOString() : null,
  };
}
