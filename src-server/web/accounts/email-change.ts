// A new address for an account, asked for by an operator (web.email) or by the signed-in customer
// (web.changeEmail): one rule for both, each refusing in its own way (`reject`).
import type { Sql } from '../../db';
import { lockVersions } from '../../schema';
import { languageOf, refuse, type WebContext } from './context';
import { letter, link } from './letters';
import * as repo from './repo';
import { issueToken } from './tokens';

/**
 * While the registration is unconfirmed the new address simply replaces the old one (with a new
 * confirmation link); otherwise it waits for its own confirmation link. Returns where the letter went.
 */
export async function requestEmailChange(
  ctx: WebContext,
  sql: Sql,
  accountId: number,
  email: string,
  reject: (key: 'sameEmail' | 'emailTaken') => never,
): Promise<string> {
  const row = await repo.webRow(sql, accountId, true);
  if (!row) refuse('CONFLICT', 'web.notRegistered');
  if (row.status === 'blocked') refuse('CONFLICT', 'web.blocked');
  if (row.email.toLowerCase() === email.toLowerCase()) reject('sameEmail');
  if (await repo.emailTaken(sql, email, accountId)) reject('emailTaken');
  const language = languageOf(row);
  if (row.status === 'pending') {
    const token = await issueToken(sql, ctx.now, accountId, 'confirm', email);
    await letter(ctx, email, language, 'confirmSubject', 'confirmBody', {
      login: row.login,
      link: link(ctx, 'confirm', token, language),
    });
    await lockVersions(sql);
    await repo.setWebEmail(sql, accountId, email);
    return email;
  }
  await repo.savePendingEmail(sql, accountId, row.customer_kind ?? 'individual', email);
  const token = await issueToken(sql, ctx.now, accountId, 'email', email);
  await letter(ctx, email, language, 'emailSubject', 'emailBody', {
    login: row.login,
    link: link(ctx, 'email/confirm', token, language),
  });
  return email;
}
