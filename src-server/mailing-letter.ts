// One customer's letter of the monthly mailing: the period's breakdown built from the rows as the desk
// builds it (src-shared/statements), rendered in the owner's language (in a worker of the render pool,
// or here), and the letter's subject and text from the service's texts (web/texts.ts).
import { formatTiyn } from '../src-shared/domain/money';
import type { Period } from '../src-shared/domain/period';
import {
  breakdownFileName,
  monthYear,
  pdfLabels,
  pdfLanguageFor,
  renderBreakdownPdf,
  type PdfFonts,
} from '../src-shared/pdf';
import { letterFrom } from '../src-shared/mail/sender';
import { utilityFor, type Requisites } from '../src-shared/schemas/utility';
import { breakdownRowsFromStored, buildBreakdown, formatAddress } from '../src-shared/statements';
import type { Sql } from './db';
import type { OutgoingMail } from './mailer';
import type { RenderPool } from './mailing-render';
import { readStoredBreakdown } from './mailing-rows';
import { fill, webLanguageOf, webTexts } from './web/texts';

/** What every letter of a run is made with. */
export interface LetterContext {
  db: Sql;
  period: Period;
  requisites: Requisites;
  waterNormLitres: number | null;
  /** renders in worker threads; null: in this thread with `fonts` */
  pool: RenderPool | null;
  fonts: PdfFonts;
  now: () => Date;
  /** the customer pages, linked from the letter when given */
  publicUrl?: string;
  /** the mailer's sender: the letter is from the utility's name at its address */
  sender: string;
}

export async function composeLetter(
  ctx: LetterContext,
  c: { account_id: number; email: string },
  messageId: string,
): Promise<OutgoingMail> {
  const { period, now } = ctx;
  const base = buildBreakdown(
    breakdownRowsFromStored(
      await readStoredBreakdown(ctx.db, c.account_id, period, utilityFor(ctx.requisites, 'ru'), ctx.waterNormLitres),
    ),
  );
  const language = pdfLanguageFor(base.owner.language);
  const utility = utilityFor(ctx.requisites, language);
  const model = { ...base, utility };
  const bytes = ctx.pool
    ? await ctx.pool.render(model, language, now())
    : renderBreakdownPdf(model, { fonts: ctx.fonts, language, printedAt: now() });
  const labels = pdfLabels[language];
  const t = webTexts[webLanguageOf(model.owner.language)].mail;
  const values = {
    utility: utility.name,
    account: model.account.number,
    address: formatAddress(model.address, labels.apartment, labels),
    monthYear: monthYear(period, labels),
    toPay: formatTiyn(model.totals.toPayTiyn),
    phone: utility.phone,
  };
  const cabinet = ctx.publicUrl ? `\n\n${fill(t.breakdownCabinet, { link: ctx.publicUrl })}` : '';
  return {
    to: c.email,
    subject: fill(t.breakdownSubject, values),
    text: `${fill(t.breakdownBody, values)}${cabinet}\n\n${[utility.signOff ?? '', utility.name].filter((s) => s.trim() !== '').join('\n') || t.signature}`,
    attachments: [{ filename: breakdownFileName(model, language), content: bytes, contentType: 'application/pdf' }],
    messageId,
    from: letterFrom(utility.name, ctx.sender),
  };
}
