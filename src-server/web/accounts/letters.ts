// The letters to customers: a link into the customer pages, and a letter in the customer's language
// (texts.ts). A letter that cannot go is `web.mailFailed`, so the operator action or customer step that
// sends it before its commit changes nothing.
import { AppError } from '../../../src-shared/errors';
import { fill, webTexts, type WebLanguage, type WebTexts } from '../texts';
import type { WebContext } from './context';

export type MailText = keyof WebTexts['mail'];

export const link = (ctx: WebContext, path: string, token: string, language: WebLanguage) =>
  `${ctx.publicUrl().replace(/\/$/, '')}/web/${path}?token=${token}&lang=${language}`;

export async function letter(
  ctx: WebContext,
  to: string,
  language: WebLanguage,
  subject: MailText,
  body: MailText,
  values: Record<string, string>,
): Promise<void> {
  const t = webTexts[language].mail;
  try {
    await ctx.mailer.send({ to, subject: t[subject], text: `${fill(t[body], values)}\n\n${t.signature}` });
  } catch (error) {
    throw new AppError('UNAVAILABLE', 'web.mailFailed', {
      reason: 'web.mailFailed',
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}
