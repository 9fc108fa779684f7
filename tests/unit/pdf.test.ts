// The statement PDFs: what a reader sees (pdftotext), every character of our names and labels
// surviving the font subset, and a character the font lacks never eating the rest of a line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as names from '../../src-shared/demo/names';
import {
  FONT_FILES,
  pdfLabels,
  preparePdfFonts,
  renderBreakdownPdf,
  renderReconciliationPdf,
} from '../../src-shared/pdf';
import { money, moneyWithCurrency, monthYear } from '../../src-shared/pdf/format';
import { vatByRate, vatIncluded, vatPercentOn } from '../../src-shared/domain/vat';
import { individualBreakdown, legalParties, normBreakdown, reconciliation24 } from '../fixtures/statement-models';
import { pdfFonts, pdfPages, pdfText } from '../helpers/pdf';
import { nativeBytes, readPdfFonts } from '../../src-shared/node/pdf-fonts';
import ruMessages from '../../src-renderer/i18n/shell';

// As the desktop and the service load them: Node's zlib for the streams.
const fonts = readPdfFonts('resources/fonts');
const printedAt = new Date('2026-11-20T06:00:00Z');
const squash = (text: string) => text.replace(/\s+/g, ' ');

// First in the file: the glyphs of the other document must be new to the process for a leak to show.
describe('one font parse and native deflate for many documents', () => {
  it('each document maps only its own text: the same statement gives the same bytes before and after another one', () => {
    const model = individualBreakdown();
    const first = renderBreakdownPdf(model, { fonts, language: 'ru', printedAt });
    // A document that draws glyphs the first one never used (Kazakh labels, a Chinese fallback).
    const other = renderBreakdownPdf(
      { ...model, owner: { ...model.owner, name: 'Үмбетова Ғалия 中 Өмірзаққызы' } },
      { fonts, language: 'kk', printedAt },
    );
    expect(squash(pdfText(other))).toContain('Үмбетова Ғалия ? Өмірзаққызы');
    const again = renderBreakdownPdf(model, { fonts, language: 'ru', printedAt });
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });

  it("reads the same with Node's zlib as with jsPDF's own deflate", () => {
    const plain = preparePdfFonts({
      normal: new Uint8Array(readFileSync(`resources/fonts/${FONT_FILES.normal}`)),
      bold: new Uint8Array(readFileSync(`resources/fonts/${FONT_FILES.bold}`)),
    });
    const model = individualBreakdown();
    const native = renderBreakdownPdf(model, { fonts, language: 'kk', printedAt });
    // jsPDF's own deflate is process-wide once replaced; the other path is the same reading through it.
    expect(pdfText(native)).toContain('Есептеулердің толық жазбасы');
    expect(squash(pdfText(renderBreakdownPdf(model, { fonts: plain, language: 'kk', printedAt })))).toBe(
      squash(pdfText(native)),
    );
  });

  it('copies the finished file into bytes with Buffer as jsPDF would, bytes of their own (transferable)', () => {
    const plain = preparePdfFonts({
      normal: new Uint8Array(readFileSync(`resources/fonts/${FONT_FILES.normal}`)),
      bold: new Uint8Array(readFileSync(`resources/fonts/${FONT_FILES.bold}`)),
    });
    expect(fonts.bytes).toBeDefined();
    expect(plain.bytes).toBeUndefined();
    const model = reconciliation24();
    const native = renderReconciliationPdf(model, { fonts, language: 'en', printedAt });
    const jspdf = renderReconciliationPdf(model, { fonts: plain, language: 'en', printedAt });
    expect(Buffer.from(native).equals(Buffer.from(jspdf))).toBe(true);
    for (const text of ['%PDF-1.3 ÿ\u0000', 'x'.repeat(100_000)]) {
      const bytes = nativeBytes(text);
      expect(bytes).not.toBeInstanceOf(Buffer);
      expect([bytes.byteOffset, bytes.buffer.byteLength]).toEqual([0, text.length]);
      expect(Buffer.from(bytes).toString('latin1')).toBe(text);
    }
  });
});

describe('the fonts in the file', () => {
  it('are the embedded DejaVu Sans faces only: none of the fourteen standard fonts jsPDF registers', () => {
    const documents = [
      renderBreakdownPdf(individualBreakdown(), { fonts, language: 'kk', printedAt }),
      renderReconciliationPdf(reconciliation24(), { fonts, language: 'en', printedAt }),
    ];
    for (const pdf of documents) {
      expect(pdfFonts(pdf)).toEqual([
        { name: 'DejaVuSans', type: 'CID TrueType', embedded: true },
        { name: 'DejaVuSans', type: 'CID TrueType', embedded: true },
      ]);
      expect(Buffer.from(pdf).toString('latin1')).not.toMatch(/\/Type1|Helvetica|ZapfDingbats/);
    }
    // What was drawn is still there, in both faces (a title is bold).
    expect(pdfText(documents[0]!)).toContain('Есептеулердің толық жазбасы');
  });
});

describe('money on paper', () => {
  it('is integer tiyn formatted as 1 548,67 ₸, negative with a minus, never through floats', () => {
    expect(squash(money(154_867))).toBe('1 548,67');
    expect(squash(moneyWithCurrency(154_867))).toBe('1 548,67 ₸');
    expect(money(-5)).toBe('−0,05');
    expect(squash(money(900_719_925_474_099))).toBe('9 007 199 254 740,99'); // exact at 2^53
  });
});

describe('breakdown PDF', () => {
  it('shows the utility, owner, address, period, split tariff lines, totals and ₸', () => {
    const model = individualBreakdown();
    const text = squash(pdfText(renderBreakdownPdf(model, { fonts, language: 'ru', printedAt })));
    expect(text).toContain('Расшифровка начислений');
    expect(text).toContain('за октябрь 2026 г.');
    expect(text).toContain(model.utility.name);
    expect(text).toContain('Жұмабаев Әлихан Серікұлы');
    expect(text).toContain('ул. Тәуелсіздік, 12А, кв. 45');
    expect(text).toContain('Водоснабжение');
    expect(text).toContain('Водоотведение');
    expect(text).toMatch(/01\.10–14\.10/);
    expect(text).toMatch(/15\.10–31\.10/);
    expect(text).toContain(`Итого к оплате ${squash(moneyWithCurrency(Math.max(0, model.totals.closingTiyn)))}`);
    expect(text).toContain('Дата печати: 20.11.2026 11:00');
    expect(text).toContain('Стр. 1 из 1');
  });

  it('says "by norm" with residents × norm where there is no meter', () => {
    const text = squash(pdfText(renderBreakdownPdf(normBreakdown(), { fonts, language: 'ru', printedAt })));
    expect(text).toMatch(/Начислено по нормативу: \d+ чел\. × [\d,]+ м³ = [\d,]+ м³/);
  });

  it('prints in Kazakh with Kazakh letters intact', () => {
    const text = squash(pdfText(renderBreakdownPdf(individualBreakdown(), { fonts, language: 'kk', printedAt })));
    expect(text).toContain('Есептеулердің толық жазбасы');
    expect(text).toContain('Сумен жабдықтау');
    expect(text).toContain('Төлеуге барлығы');
  });

  it('keeps every character of the demo names, streets and our ru/kk labels', () => {
    const words = [
      ...names.STREET_NAMES,
      ...names.RUSSIAN_SURNAMES,
      ...names.KAZAKH_SURNAMES,
      ...names.KAZAKH_MALE,
      ...names.KAZAKH_FEMALE,
      ...names.RUSSIAN_MALE,
      ...names.RUSSIAN_FEMALE,
      ...names.ORGANISATION_NAMES,
      ...names.KAZAKH_PATRONYMICS.flat(),
      ...names.DISTRICTS,
      ...[pdfLabels.ru, pdfLabels.kk, pdfLabels.en].flatMap((labels) =>
        Object.values(labels).flatMap((v): string[] =>
          typeof v === 'string'
            ? [v]
            : Array.isArray(v)
              ? v
              : v && typeof v === 'object'
                ? Object.values(v as Record<string, string>)
                : [],
        ),
      ),
      ...Object.values(ruMessages.kk).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v))),
    ]
      .map((w) => w.replace(/\{\w+\}/g, ''))
      .join(' ');
    const wanted = new Set([...words].filter((c) => c.trim()));
    const model = individualBreakdown();
    // The whole repertoire as the owner's name, in chunks so it wraps but stays in one cell.
    const chars = [...wanted].join('');
    const chunks = chars.match(/.{1,60}/gu)!;
    const text = pdfText(
      renderBreakdownPdf(
        { ...model, owner: { ...model.owner, name: chunks.join(' ') } },
        { fonts, language: 'ru', printedAt },
      ),
      false,
    );
    const missing = [...wanted].filter((c) => !text.includes(c));
    expect(missing).toEqual([]);
  });

  it('a character the font lacks becomes "?" and the rest of the line survives', () => {
    const model = individualBreakdown();
    const owner = 'Иванов 中 Пётр · Ілияс 😀 Қасым';
    const text = squash(
      pdfText(
        renderBreakdownPdf({ ...model, owner: { ...model.owner, name: owner } }, { fonts, language: 'ru', printedAt }),
      ),
    );
    expect(text).toContain('Иванов ? Пётр · Ілияс ? Қасым');
    expect(text).toContain('ул. Тәуелсіздік, 12А, кв. 45');
  });
});

describe('reconciliation PDF', () => {
  it('24 months break across pages with the header repeated and the running balance to the end', () => {
    const model = reconciliation24();
    const bytes = renderReconciliationPdf(model, { fonts, language: 'ru', printedAt });
    const pages = pdfText(bytes)
      .split('\f')
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain('Сальдо, ₸');
    const text = squash(pages.join(' '));
    expect(text).toContain('Сверка взаиморасчётов');
    expect(text).toContain(`Сальдо на 31.10.2026 ${squash(money(model.totals.closingTiyn))}`);
    expect(text).toContain(`Стр. ${pages.length} из ${pages.length}`);
  });

  it('names the service of every charge line and the number of every payment', () => {
    const model = reconciliation24();
    const text = squash(pdfText(renderReconciliationPdf(model, { fonts, language: 'ru', printedAt })));
    expect(text.split('Водоснабжение, начисление за').length - 1).toBe(24);
    expect(text.split('Водоотведение, начисление за').length - 1).toBe(24);
    expect(text).toContain('Водоснабжение, перерасчёт за');
    for (const e of model.entries.filter((x) => x.kind === 'payment'))
      expect(text).toContain(`Оплата № ${e.paymentId},`);
  });

  it('prints in English: titles, months, services', () => {
    const text = squash(pdfText(renderReconciliationPdf(reconciliation24(), { fonts, language: 'en', printedAt })));
    expect(text).toContain('Reconciliation statement');
    expect(text).toContain('Water supply, charge for October 2026');
    expect(text).toContain('Balance at 31.10.2026');
    const breakdown = squash(pdfText(renderBreakdownPdf(individualBreakdown(), { fonts, language: 'en', printedAt })));
    expect(breakdown).toContain('Breakdown of charges');
    expect(breakdown).toContain('for October 2026');
    expect(breakdown).toContain('Total to pay');
  });

  it('for a legal entity is an акт сверки with both parties and signature blocks', () => {
    const bytes = renderReconciliationPdf(reconciliation24(legalParties), { fonts, language: 'ru', printedAt });
    const text = squash(pdfText(bytes));
    expect(text).toContain('Акт сверки взаиморасчётов');
    expect(text).toContain('по договору № Д-2019/0457');
    expect(text).toContain('ТОО «Қазақ Құрылыс Сервис»');
    expect(text).toContain('Главный бухгалтер');
    expect(text).toContain('М. П.');
    expect(pdfPages(bytes)).toBeGreaterThanOrEqual(2);
  });
});

// Read in drawing order (not -layout): a phrase wrapped inside one cell stays together.
describe('the act of reconciliation', () => {
  it('has its number and date, «Мы, нижеподписавшиеся…», both sides, turnovers and balances, conclusions for both parties', () => {
    const model = reconciliation24(legalParties);
    const text = squash(pdfText(renderReconciliationPdf(model, { fonts, language: 'ru', printedAt }), false));
    expect(text).toContain('№ 7700123-241101-261031 от 20.11.2026');
    expect(text).toContain('Мы, нижеподписавшиеся, ГКП «Су Арнасы» в лице');
    expect(text).toContain('с другой стороны, составили настоящий акт сверки');
    expect(text).toContain('По данным ГКП «Су Арнасы», ₸');
    expect(text).toContain('По данным ТОО «Қазақ Құрылыс Сервис», ₸');
    // Both sides carry the opening and closing balances and the turnovers; ours with their sums.
    expect(text.split('Сальдо на 01.11.2024').length - 1).toBe(2);
    expect(text.split('Обороты за период').length - 1).toBe(2);
    expect(text.split('Сальдо на 31.10.2026').length - 1).toBe(2);
    for (const sum of [model.openingTiyn, model.totals.debitTiyn, model.totals.paidTiyn, model.totals.closingTiyn])
      expect(text).toContain(squash(money(sum)));
    expect(text).toContain(
      `задолженность в пользу ГКП «Су Арнасы» составляет ${squash(moneyWithCurrency(model.totals.closingTiyn))}`,
    );
    expect(text).toContain('По данным ТОО «Қазақ Құрылыс Сервис» на 31.10.2026:');
    expect(text).toContain('Водоснабжение за октябрь 2026 г.');
    expect(text.split('От ').length - 1).toBe(2);
    expect(text.split('Руководитель').length - 1).toBe(2);
    expect(text.split('М. П.').length - 1).toBe(2);
  });

  it('prints the VAT its turnovers include for a VAT payer, per rate, and none for others', () => {
    const model = reconciliation24(legalParties);
    const rates = vatByRate(
      model.entries.filter((e) => e.kind !== 'payment').map((e) => ({ date: e.date, amountTiyn: e.debitTiyn })),
    );
    expect(rates.map((r) => r.percent)).toEqual([12, 16]);
    const text = squash(pdfText(renderReconciliationPdf(model, { fonts, language: 'ru', printedAt }), false));
    for (const r of rates) expect(text).toContain(`в т. ч. НДС ${r.percent} % ${squash(money(r.vatTiyn))}`);
    expect(squash(pdfText(renderReconciliationPdf(model, { fonts, language: 'kk', printedAt }), false))).toContain(
      'оның ішінде ҚҚС 16 %',
    );
    const other = reconciliation24({ ...legalParties, owner: { ...legalParties.owner, vatPayer: false } });
    expect(squash(pdfText(renderReconciliationPdf(other, { fonts, language: 'ru', printedAt })))).not.toContain('НДС');
  });

  it('VAT inside an amount, in integer tiyn: 12 % to 2025, 16 % from 2026, rounded half away from zero', () => {
    expect(vatPercentOn('2025-12-31')).toBe(12);
    expect(vatPercentOn('2026-01-01')).toBe(16);
    expect(vatIncluded(11_200, 12)).toBe(1_200);
    expect(vatIncluded(11_600, 16)).toBe(1_600);
    expect(vatIncluded(56, 12)).toBe(6); // 6.0
    expect(vatIncluded(-56, 12)).toBe(-6);
    expect(vatIncluded(1, 12)).toBe(0);
    expect(vatIncluded(10_000_000_000, 16)).toBe(1_379_310_345);
  });

  it('prints in Kazakh and English too', () => {
    const kk = squash(
      pdfText(renderReconciliationPdf(reconciliation24(legalParties), { fonts, language: 'kk', printedAt }), false),
    );
    expect(kk).toContain('Өзара есеп айырысуларды салыстыру актісі');
    expect(kk).toContain('Біз, төменде қол қоюшылар,');
    expect(kk).toContain('Бас бухгалтер');
    const en = squash(
      pdfText(renderReconciliationPdf(reconciliation24(legalParties), { fonts, language: 'en', printedAt }), false),
    );
    expect(en).toContain('Reconciliation act');
    expect(en).toContain('No. 7700123-241101-261031 of 20.11.2026');
    expect(en).toContain('We, the undersigned, ГКП «Су Арнасы», represented by');
    expect(en).toContain('incl. VAT 12 %');
    expect(en).toContain('Chief accountant');
    // The contract's number as the heading's: «No.» in English, «№» in Russian and Kazakh.
    expect(en).toContain('Contract: No. Д-2019/0457');
    expect(en).not.toContain('№');
    expect(kk).toContain('№ Д-2019/0457');
  });

  it('keeps «2026 г.» on one line: a no-break space between the year and «г.» (and «ж.»)', () => {
    expect(monthYear('2026-03', pdfLabels.ru)).toBe('март 2026\u00a0г.');
    expect(monthYear('2026-03', pdfLabels.kk)).toBe('2026\u00a0ж. наурыз');
    expect(monthYear('2026-03', pdfLabels.en)).toBe('March 2026');
    // Drawn as it is (the fonts have U+00A0), so the PDF's line breaking (at ' ' only) keeps it whole.
    expect(fonts.sanitize(monthYear('2026-03', pdfLabels.ru))).toBe('март 2026\u00a0г.');
  });
});
