// A batch of customers' documents (breakdowns or debt notices) drawn into one jsPDF file, each
// customer's from a new page and numbered «Стр. N из M» on its own. The desk renders a batch of
// thousands as such files of a few dozen customers each and appends them to one PDF as it goes
// (src-main/services/debts/pdf-append.ts), so no more than one chunk is ever held in memory.
import type { Breakdown, PdfLanguage } from '../schemas/statements';
import { breakdownMeta, drawBreakdown } from './breakdown';
import { StatementPdf } from './document';
import type { PdfFonts } from './fonts';
import { pdfLabels } from './labels';
import { drawNotice, noticeMeta, type DebtNotice } from './notice';

export type BatchItem =
  | { kind: 'breakdown'; model: Breakdown; language: PdfLanguage }
  | { kind: 'notice'; model: DebtNotice; language: PdfLanguage };

const metaOf = (item: BatchItem, printedAt: Date) =>
  item.kind === 'breakdown'
    ? breakdownMeta(item.model, pdfLabels[item.language], printedAt)
    : noticeMeta(item.model, item.language, printedAt);

/** One PDF of the items, in order; `pages` of it. */
export function renderBatchChunk(
  items: readonly BatchItem[],
  options: { fonts: PdfFonts; printedAt: Date },
): { bytes: Uint8Array; pages: number } {
  if (items.length === 0) throw new RangeError('An empty batch chunk');
  let pdf: StatementPdf | null = null;
  for (const item of items) {
    const labels = pdfLabels[item.language];
    const meta = metaOf(item, options.printedAt);
    if (pdf) pdf.next(labels, meta);
    else pdf = new StatementPdf(options.fonts, labels, meta);
    if (item.kind === 'breakdown') drawBreakdown(pdf, item.model, labels);
    else drawNotice(pdf, item.model, item.language);
  }
  const pages = pdf!.doc.getNumberOfPages();
  return { bytes: pdf!.finish(), pages };
}
