// A finished statement leaves little behind for the GC to copy (tuning/document-lifetime.ts): no canvas
// context per document, its pages, file pieces and fonts' per-document state emptied once its bytes
// are out — and the next documents' bytes are what they were.
import { createHash } from 'node:crypto';
import { jsPDF } from 'jspdf';
import { describe, expect, it } from 'vitest';
import { renderBreakdownPdf, renderReconciliationPdf } from '../../src-shared/pdf';
import { StatementPdf } from '../../src-shared/pdf/document';
import { FONT_FAMILY } from '../../src-shared/pdf/fonts';
import { pdfLabels } from '../../src-shared/pdf/labels';
import { readPdfFonts } from '../../src-shared/node/pdf-fonts';
import { individualBreakdown, reconciliation24 } from '../fixtures/statement-models';
import { pdfText } from '../helpers/pdf';

const fonts = readPdfFonts('resources/fonts');
const printedAt = new Date('2026-11-20T06:00:00Z');
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a finished document', () => {
  it('is emptied once its bytes are out, and no canvas context is made for it', () => {
    const pdf = new StatementPdf(fonts, pdfLabels.ru, { title: 'Т', subject: 'S', accountNumber: '1', printedAt });
    expect((pdf.doc as unknown as { context2d?: unknown }).context2d).toBeUndefined();
    pdf.text('Водоснабжение 1 234,56 ₸', 20, 20);
    const internal = pdf.doc.internal as unknown as {
      pages: (string[] | undefined)[];
      getFont(name: string, style: string): { metadata?: unknown };
    };
    expect(internal.pages.some((page) => (page?.length ?? 0) > 0)).toBe(true);
    const bytes = pdf.finish();
    expect(pdfText(bytes)).toContain('Водоснабжение 1 234,56 ₸');
    expect(internal.pages.every((page) => (page?.length ?? 0) === 0)).toBe(true);
    const built = (pdf.doc as unknown as { __private__: { out(text: string): unknown[] } }).__private__.out('');
    expect(built.length).toBeLessThanOrEqual(1); // the file's pieces are gone (the '' just written)
    expect(internal.getFont(FONT_FAMILY, 'normal').metadata).toBeUndefined();
    expect(internal.getFont(FONT_FAMILY, 'bold').metadata).toBeUndefined();
  });

  it('changes nothing in the documents rendered after it', () => {
    const first = {
      breakdown: sha(renderBreakdownPdf(individualBreakdown(), { fonts, language: 'kk', printedAt })),
      reconciliation: sha(renderReconciliationPdf(reconciliation24(), { fonts, language: 'ru', printedAt })),
    };
    for (let i = 0; i < 3; i++) renderBreakdownPdf(individualBreakdown(), { fonts, language: 'en', printedAt });
    expect(sha(renderBreakdownPdf(individualBreakdown(), { fonts, language: 'kk', printedAt }))).toBe(first.breakdown);
    expect(sha(renderReconciliationPdf(reconciliation24(), { fonts, language: 'ru', printedAt }))).toBe(
      first.reconciliation,
    );
  });

  it('leaves jsPDF usable for documents that are not ours', () => {
    renderBreakdownPdf(individualBreakdown(), { fonts, language: 'ru', printedAt });
    const doc = new jsPDF();
    doc.text('plain', 10, 10);
    expect(doc.output('arraybuffer').byteLength).toBeGreaterThan(500);
  });
});
