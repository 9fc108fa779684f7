// The PDF's own drawing of tables (src-shared/pdf/table-draw.ts) and of plain text (tuning/plain-text.ts,
// section 7) write what jspdf-autotable and jsPDF's text() write: the same bytes, document for
// document, with them and without them — one page or many, head repeated, colSpans, ru/kk/en, a
// batch of several customers, and a table only autotable can draw (a row taller than a page).
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { renderBatchChunk, renderBreakdownPdf, renderNoticePdf, renderReconciliationPdf } from '../../src-shared/pdf';
import { shortcuts } from '../../src-shared/pdf/tuning';
import { hpf } from '../../src-shared/pdf/tuning/plain-text';
import { Rng } from '../../src-shared/demo/prng';
import { readPdfFonts } from '../../src-shared/node/pdf-fonts';
import { buildReconciliation } from '../../src-shared/statements/reconciliation';
import {
  individualBreakdown,
  individualParties,
  legalBreakdown,
  legalParties,
  normBreakdown,
  reconciliation24,
  reconciliationRows,
} from '../fixtures/statement-models';
import { pdfPages, pdfText } from '../helpers/pdf';

const fonts = readPdfFonts('resources/fonts');
const printedAt = new Date('2026-11-20T06:00:00Z');
const languages = ['ru', 'kk', 'en'] as const;

/** Many payments (three pages), a long name with characters the font lacks. */
function longBreakdown() {
  const model = legalBreakdown();
  model.owner = { ...model.owner, name: `ТОО «АлматыТеплоСтройМонтажСервис» ${'Әліппе '.repeat(12)}中 “x”` };
  model.payments = Array.from({ length: 60 }, (_, i) => ({
    paidOn: '2026-10-07',
    amountTiyn: 1_234_567_890_12 + i * 7919,
    channel: i % 2 ? 'kaspi' : 'cash',
  }));
  return model;
}

function documents(): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const language of languages) {
    out[`breakdown ${language}`] = renderBreakdownPdf(individualBreakdown(), { fonts, language, printedAt });
    out[`norm ${language}`] = renderBreakdownPdf(normBreakdown(), { fonts, language, printedAt });
    out[`long ${language}`] = renderBreakdownPdf(longBreakdown(), { fonts, language, printedAt });
    out[`reconciliation ${language}`] = renderReconciliationPdf(reconciliation24(), { fonts, language, printedAt });
    out[`act ${language}`] = renderReconciliationPdf(buildReconciliation(reconciliationRows(legalParties, 60)), {
      fonts,
      language,
      printedAt,
    });
    out[`notice ${language}`] = renderNoticePdf(
      { ...individualParties, asOf: '2026-11-01', debtTiyn: 123_456_789, months: 4 },
      { fonts, language, printedAt },
    );
  }
  out['batch'] = renderBatchChunk(
    [
      { kind: 'breakdown', model: individualBreakdown(), language: 'ru' },
      { kind: 'breakdown', model: longBreakdown(), language: 'kk' },
      { kind: 'notice', model: { ...legalParties, asOf: '2026-11-01', debtTiyn: 99, months: 1 }, language: 'en' },
    ],
    { fonts, printedAt },
  ).bytes;
  // A recalculation whose reason wraps to more lines than a page holds: autotable splits that row.
  const tall = individualBreakdown();
  tall.recalculations = [{ ...tall.recalculations[0]!, reason: 'перерасчёт по заявлению '.repeat(900) }];
  out['a row taller than a page'] = renderBreakdownPdf(tall, { fonts, language: 'ru', printedAt });
  return out;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the shortcuts draw what jsPDF and autotable draw', () => {
  afterEach(() => {
    shortcuts.plainText = true;
    shortcuts.tables = true;
    shortcuts.paths = true;
  });

  it('the same bytes for every document, with them and without them', () => {
    const fast = documents();
    expect(pdfPages(fast['long ru']!)).toBeGreaterThan(1);
    expect(pdfPages(fast['act ru']!)).toBeGreaterThan(2);
    expect(pdfText(fast['a row taller than a page']!)).toContain('перерасчёт по заявлению');
    shortcuts.plainText = false;
    shortcuts.tables = false;
    shortcuts.paths = false;
    const slow = documents();
    expect(Object.keys(slow)).toEqual(Object.keys(fast));
    for (const name of Object.keys(fast))
      expect({ name, sha: sha(fast[name]!) }).toEqual({ name, sha: sha(slow[name]!) });
  });

  it('each alone, too', () => {
    const all = documents();
    const alone: Record<string, Record<string, Uint8Array>> = {};
    for (const only of ['plainText', 'tables', 'paths'] as const) {
      shortcuts.plainText = only === 'plainText';
      shortcuts.tables = only === 'tables';
      shortcuts.paths = only === 'paths';
      alone[only] = documents();
    }
    for (const [only, docs] of Object.entries(alone))
      for (const name of Object.keys(all))
        expect({ only, name, sha: sha(docs[name]!) }).toEqual({ only, name, sha: sha(all[name]!) });
  });

  it("writes numbers as jsPDF's hpf does (toFixed(2), trailing zeros dropped), halves and signs included", () => {
    const jsPdf = (n: number) => n.toFixed(2).replace(/0+$/, '');
    const rng = new Rng(19_10);
    const cases = [0, -0, 0.005, -0.005, 0.015, 1.005, 2.675, 0.995, 99.995, -0.0049, 1e13, 1e15, 1e21, 841.89];
    for (let i = 0; i < 100_000; i++) {
      cases.push((rng.float() - 0.5) * 10 ** rng.int(-4, 12)); // any magnitude
      cases.push((rng.int(-1_000_000, 1_000_000) / 1000) * 2.834645669291339); // mm with 3 decimals, in pt
      cases.push(rng.int(-100_000, 100_000) / 1000); // exact thousandths: the halves
    }
    const wrong = cases.filter((n) => hpf(n) !== jsPdf(n));
    expect(wrong.map((n) => [n, hpf(n), jsPdf(n)])).toEqual([]);
  });
});
