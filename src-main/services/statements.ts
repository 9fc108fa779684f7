// statements.breakdown / .reconciliation (data for the screens) and .breakdownPdf /
// .reconciliationPdf (the printed documents). Rows come from the local store; the models and PDFs
// are built by src-shared, so the central service's monthly mailing prints the very same pages.
// Beside it: statements/fonts.ts (the PDF fonts), statements/mailer.ts (mail.send: a statement queued
// as a letter).
import { AppError, type FieldIssue } from '../../src-shared/errors';
import { addMonths, almatyDate, firstDay, lastDay, periodOf, type IsoDate } from '../../src-shared/domain/period';
import {
  breakdownFileName,
  pdfLanguageFor,
  reconciliationFileName,
  renderBreakdownPdf,
  renderReconciliationPdf,
} from '../../src-shared/pdf';
import type {
  Breakdown,
  BreakdownInput,
  PdfLanguage,
  Reconciliation,
  ReconciliationInput,
  StatementParties,
  StatementPdf,
} from '../../src-shared/schemas/statements';
import {
  breakdownRowsFromStored,
  buildBreakdown,
  buildReconciliation,
  checkBreakdownPeriod,
  checkReconciliationRange,
  defaultBreakdownPeriod,
  partiesFromRow,
} from '../../src-shared/statements';
import { createStatementsRepo, type StatementsRepo } from '../store/repos/statements';
import type { ServiceContext } from './context';
import type { createSettingsService } from './settings';
import { utilityFor } from '../../src-shared/schemas/utility';
import { loadStatementFonts } from './statements/fonts';
import { createRequisitesReader } from './utility';

// ---------- rows → models ----------

function partiesOf(repo: StatementsRepo, accountId: number, utility: StatementParties['utility']): StatementParties {
  const row = repo.party(accountId);
  if (!row) throw new AppError('NOT_FOUND', 'No such account', { accountId });
  return partiesFromRow(row, utility);
}

export interface RenderedStatement<M> {
  bytes: Uint8Array;
  fileName: string;
  language: PdfLanguage;
  model: M;
}

function pdfOf(out: RenderedStatement<unknown>): StatementPdf {
  return {
    fileName: out.fileName,
    mimeType: 'application/pdf',
    base64: Buffer.from(out.bytes).toString('base64'),
    sizeBytes: out.bytes.length,
    language: out.language,
  };
}

function refuse(message: string, fields: FieldIssue[], extra: Record<string, unknown> = {}): never {
  throw new AppError('VALIDATION', message, { fields, ...extra });
}

/** A refusal for a closed account names the closing day, so the screen can say it. */
const closedDetails = (parties: StatementParties, issues: FieldIssue[]) =>
  parties.account.closedOn && issues.some((i) => i.code.endsWith('AccountClosed'))
    ? { closedOn: parties.account.closedOn }
    : {};

/** The balance at the start of `date`: the stored opening of its period carried to the day. */
function balanceAt(repo: StatementsRepo, accountId: number, date: IsoDate): number {
  const period = periodOf(date);
  const own = repo.balance(accountId, period);
  if (own) return own.opening_tiyn + repo.movementBetween(accountId, firstDay(period), date);
  const before = repo.balanceBefore(accountId, period);
  if (before) return before.closing_tiyn + repo.movementBetween(accountId, firstDay(addMonths(before.period, 1)), date);
  // No stored history before this day: the account starts from zero.
  return repo.movementBetween(accountId, '0000-01-01', date);
}

export function createStatementsService(
  ctx: ServiceContext,
  settings: Pick<ReturnType<typeof createSettingsService>, 'get'>,
) {
  const repo = createStatementsRepo(ctx.db);
  const today = () => almatyDate(ctx.now());
  // The service's requisites (replicated), in the language a document is printed in.
  const requisites = createRequisitesReader(ctx.db, settings);
  const utilityIn = (language: PdfLanguage) => utilityFor(requisites().requisites, language);

  function breakdown(input: BreakdownInput): Breakdown {
    const parties = partiesOf(repo, input.accountId, utilityIn('ru'));
    const period = input.period ?? defaultBreakdownPeriod(ctx.now(), parties.account.closedOn);
    const issues = checkBreakdownPeriod(period, {
      openedOn: parties.account.openedOn,
      closedOn: parties.account.closedOn,
      today: today(),
    });
    if (issues.length > 0) refuse('No breakdown for this period', issues, closedDetails(parties, issues));
    const balance = repo.balanceAt(input.accountId, period);
    const own = balance?.period === period;
    return buildBreakdown(
      breakdownRowsFromStored({
        parties,
        period,
        balance: own ? balance : undefined,
        balanceBefore: own ? undefined : balance,
        charges: repo.chargesOfPeriod(input.accountId, period),
        recalculations: repo.recalculationsOfPeriod(input.accountId, period),
        payments: repo.paymentsOfPeriod(input.accountId, period),
        meters: repo.metersOfPeriod(input.accountId, firstDay(period), lastDay(period)).map((meter) => ({
          meter,
          current: repo.readingOfPeriod(meter.id, period),
          previous: repo.readingBefore(meter.id, period),
        })),
        waterNormLitres: repo.waterNorm(lastDay(period)),
      }),
    );
  }

  function reconciliation(input: ReconciliationInput): Reconciliation {
    const parties = partiesOf(repo, input.accountId, utilityIn('ru'));
    const issues = checkReconciliationRange(input.from, input.to, {
      openedOn: parties.account.openedOn,
      closedOn: parties.account.closedOn,
      today: today(),
    });
    if (issues.length > 0) refuse('No reconciliation for this range', issues, closedDetails(parties, issues));
    return buildReconciliation({
      parties,
      from: input.from,
      to: input.to,
      openingTiyn: balanceAt(repo, input.accountId, input.from),
      charges: repo
        .chargesBetween(input.accountId, input.from, input.to)
        .map((c) => ({ period: c.period, service: c.service, chargedOn: c.charged_on, amountTiyn: c.amount_tiyn })),
      recalculations: repo.recalculationsBetween(input.accountId, input.from, input.to).map((r) => ({
        period: r.period,
        service: r.service,
        postedOn: r.posted_on,
        amountTiyn: r.amount_tiyn,
        reason: r.reason,
      })),
      payments: repo
        .paymentsBetween(input.accountId, input.from, input.to)
        .map((p) => ({ id: p.id, period: p.period, paidOn: p.paid_on, amountTiyn: p.amount_tiyn, channel: p.channel })),
    });
  }

  /** The breakdown as printed: in the language asked for, else the owner's, with the utility's words in it. */
  function breakdownModel(input: BreakdownInput & { language?: PdfLanguage }): {
    model: Breakdown;
    language: PdfLanguage;
  } {
    const base = breakdown(input);
    const language = input.language ?? pdfLanguageFor(base.owner.language);
    return { model: { ...base, utility: utilityIn(language) }, language };
  }

  /** An account's parties as a letter to it prints them (the debt notice). */
  function partiesIn(accountId: number, asked?: PdfLanguage): { parties: StatementParties; language: PdfLanguage } {
    const base = partiesOf(repo, accountId, utilityIn('ru'));
    const language = asked ?? pdfLanguageFor(base.owner.language);
    return { parties: { ...base, utility: utilityIn(language) }, language };
  }

  function breakdownPdfBytes(input: BreakdownInput & { language?: PdfLanguage }): RenderedStatement<Breakdown> {
    const { model, language } = breakdownModel(input);
    const bytes = renderBreakdownPdf(model, { fonts: loadStatementFonts(), language, printedAt: ctx.now() });
    return { bytes, fileName: breakdownFileName(model, language), language, model };
  }

  function reconciliationPdfBytes(
    input: ReconciliationInput & { language?: PdfLanguage },
  ): RenderedStatement<Reconciliation> {
    const base = reconciliation(input);
    const language = input.language ?? pdfLanguageFor(base.owner.language);
    const model = { ...base, utility: utilityIn(language) };
    const bytes = renderReconciliationPdf(model, { fonts: loadStatementFonts(), language, printedAt: ctx.now() });
    return { bytes, fileName: reconciliationFileName(model, language), language, model };
  }

  return {
    breakdown,
    reconciliation,
    breakdownModel,
    partiesIn,
    /** The PDF bytes with the model and a suggested file name (the mail outbox attaches the bytes). */
    breakdownPdfBytes,
    reconciliationPdfBytes,
    breakdownPdf: (input: BreakdownInput & { language?: PdfLanguage }): StatementPdf => pdfOf(breakdownPdfBytes(input)),
    reconciliationPdf: (input: ReconciliationInput & { language?: PdfLanguage }): StatementPdf =>
      pdfOf(reconciliationPdfBytes(input)),
  };
}
export type StatementsService = ReturnType<typeof createStatementsService>;
