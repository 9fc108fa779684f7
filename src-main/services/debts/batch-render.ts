// The batch PDF itself, as the worker (batch-worker.ts) renders it: the customers' models built from
// the store in chunks of a few dozen, each chunk drawn as one jsPDF file (src-shared/pdf/batch.ts) and
// appended at once to the output file (pdf-append.ts), so memory holds one chunk whatever the batch.
// A customer whose breakdown cannot be had (a period before the account was opened) is reported by
// number and left out; everything else that fails fails the batch.
import { closeSync, openSync, writeSync } from 'node:fs';
import { AppError } from '../../../src-shared/errors';
import { almatyDate } from '../../../src-shared/domain/period';
import { renderBatchChunk, type BatchItem, type PdfFonts } from '../../../src-shared/pdf';
import type { DebtDocument } from '../../../src-shared/schemas/debts';
import type { PdfLanguage } from '../../../src-shared/schemas/statements';
import type { StatementsService } from '../statements';
import { createPdfAppender } from './pdf-append';

export interface BatchCustomer {
  accountId: number;
  number: string;
  debtTiyn: number;
  months: number;
}

export interface BatchRequest {
  document: DebtDocument;
  customers: BatchCustomer[];
  language: PdfLanguage | null;
  /** the print date on every page, and the day a notice states the debt at */
  printedAt: Date;
  title: string;
  chunk?: number;
}

export interface BatchResult {
  pages: number;
  sizeBytes: number;
  skipped: string[];
}

export function renderBatchToFile(
  statements: Pick<StatementsService, 'breakdownModel' | 'partiesIn'>,
  fonts: PdfFonts,
  request: BatchRequest,
  file: string,
  progress: (done: number, pages: number) => void,
  /** asked between chunks: true stops the batch (the caller removes the file) */
  stop: () => boolean = () => false,
): BatchResult | 'stopped' {
  const fd = openSync(file, 'w', 0o600);
  try {
    const out = createPdfAppender((bytes) => writeSync(fd, bytes));
    const asOf = almatyDate(request.printedAt);
    const skipped: string[] = [];
    const size = request.chunk ?? 40;
    const language = request.language ?? undefined;
    for (let at = 0; at < request.customers.length; at += size) {
      if (stop()) return 'stopped';
      const items: BatchItem[] = [];
      for (const customer of request.customers.slice(at, at + size)) {
        if (request.document === 'notice') {
          const { parties, language: printed } = statements.partiesIn(customer.accountId, language);
          items.push({
            kind: 'notice',
            language: printed,
            model: { ...parties, asOf, debtTiyn: customer.debtTiyn, months: customer.months },
          });
          continue;
        }
        try {
          const { model, language: printed } = statements.breakdownModel({ accountId: customer.accountId, language });
          items.push({ kind: 'breakdown', language: printed, model });
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'VALIDATION') throw error;
          skipped.push(customer.number);
        }
      }
      if (items.length) out.append(renderBatchChunk(items, { fonts, printedAt: request.printedAt }).bytes);
      progress(Math.min(at + size, request.customers.length), out.pages());
    }
    if (out.pages() === 0)
      throw new AppError('VALIDATION', 'No document in the batch', { reason: 'debts.noneSelected' });
    const wall = request.printedAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const sizeBytes = out.finish({ title: request.title, creationDate: `${wall}Z` });
    return { pages: out.pages(), sizeBytes, skipped };
  } finally {
    closeSync(fd);
  }
}
