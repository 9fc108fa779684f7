// «Расшифровка начислений» as an A4 PDF: per-service table (split lines where the tariff changed),
// the balance summary with the total to pay (and the VAT included, for a VAT payer), the readings behind the volume (or the norm), and the
// month's recalculations and payments.
import type { Breakdown, PdfLanguage } from '../schemas/statements';
import { CONTENT_WIDTH, partyFacts, StatementPdf, type PdfMeta, type TableColumn, type TableRow } from './document';
import {
  balanceText,
  channelName,
  date,
  dayMonth,
  money,
  moneyWithCurrency,
  monthYear,
  placeName,
  reading,
  serviceName,
  volume,
} from './format';
import type { PdfFonts } from './fonts';
import { fill, pdfLabels, type PdfLabels } from './labels';

export interface RenderOptions {
  fonts: PdfFonts;
  language: PdfLanguage;
  /** printed in the footer; the caller's clock, so tests are repeatable */
  printedAt: Date;
}

const TO_PAY = {
  fontStyle: 'bold' as const,
  fontSize: 11,
  fillColor: [229, 236, 243] as [number, number, number],
  cellPadding: { top: 1.8, bottom: 1.8, left: 1.5, right: 1.5 },
};
const MUTED_LINE = { textColor: [95, 95, 95] as [number, number, number], fontSize: 8 };

/** Service | unit | volume | tariff | charged | recalculation | paid: numbers never wrap. */
const CHARGE_COLUMNS: TableColumn[] = [
  { kind: 'text' },
  { kind: 'nowrap', halign: 'center' },
  { kind: 'nowrap', halign: 'right' },
  { kind: 'money' },
  { kind: 'money' },
  { kind: 'money' },
  { kind: 'money' },
];
/** Meter | place | previous | current | consumption. */
const READINGS_COLUMNS: TableColumn[] = [
  { kind: 'nowrap' },
  { kind: 'text' },
  { kind: 'text' },
  { kind: 'text' },
  { kind: 'nowrap', halign: 'right' },
];

function chargeRows(model: Breakdown, l: PdfLabels): TableRow[] {
  const rows: TableRow[] = [];
  for (const s of model.services) {
    const single = s.lines.length === 1 ? s.lines[0]! : null;
    rows.push([
      { content: serviceName(s.service, l), styles: { fontStyle: 'bold' } },
      l.unitM3,
      volume(s.volumeLitres),
      single ? money(single.priceTiynPerM3) : s.lines.length === 0 ? '—' : '',
      money(s.chargedTiyn),
      money(s.recalculationTiyn),
      money(s.paidTiyn),
    ]);
    if (s.lines.length > 1) {
      // A tariff changed inside the month: one line per tariff, with the days it covered.
      for (const line of s.lines) {
        rows.push([
          {
            content: `    ${fill(l.lineDates, { from: dayMonth(line.from), to: dayMonth(line.to) })}`,
            styles: MUTED_LINE,
          },
          '',
          { content: volume(line.volumeLitres), styles: MUTED_LINE },
          { content: money(line.priceTiynPerM3), styles: MUTED_LINE },
          { content: money(line.chargedTiyn), styles: MUTED_LINE },
          '',
          '',
        ]);
      }
    }
  }
  return rows;
}

/** For a VAT payer, the VAT its charges and recalculations include, per rate (the model's, as on screen). */
function vatRows(model: Breakdown, l: PdfLabels): [string, string][] {
  return model.totals.vat.map((rate) => [fill(l.vatIncluded, { rate: rate.percent }), moneyWithCurrency(rate.vatTiyn)]);
}

function summary(pdf: StatementPdf, model: Breakdown, l: PdfLabels): void {
  const t = model.totals;
  pdf.ensureSpace(40);
  pdf.table({
    columns: [{ kind: 'text' }, { kind: 'nowrap', halign: 'right' }],
    head: [],
    body: [
      [l.openingBalance, balanceText(t.openingTiyn, l)],
      [l.charged, moneyWithCurrency(t.chargedTiyn)],
      [l.recalculation, moneyWithCurrency(t.recalculationTiyn)],
      ...vatRows(model, l),
      [l.paid, moneyWithCurrency(t.paidTiyn)],
      [l.closingBalance, balanceText(t.closingTiyn, l)],
      [
        { content: l.toPay, styles: TO_PAY },
        { content: moneyWithCurrency(t.toPayTiyn), styles: TO_PAY },
      ],
    ],
    fontSize: 9,
    theme: 'plain',
    // Against the right margin, wider when a sum needs it.
    width: 118,
    maxWidth: CONTENT_WIDTH,
    align: 'right',
    padding: { top: 0.8, bottom: 0.8, left: 1.5, right: 1.5 },
  });
}

function readingsSection(pdf: StatementPdf, model: Breakdown, l: PdfLabels): void {
  if (model.readings.length > 0) {
    pdf.section(l.readingsTitle, 28);
    const value = (r: { litres: number; readOn: string } | null, m: Breakdown['readings'][number]) =>
      r ? `${reading(r.litres, m.intDigits, m.fracDigits)}  (${date(r.readOn)})` : l.noReading;
    pdf.table({
      head: [[l.colMeter, l.colPlace, l.colPrevious, l.colCurrent, l.colConsumption]],
      body: model.readings.map((m) => {
        const note =
          m.current?.kind === 'rollover'
            ? ` — ${l.readingRollover}`
            : m.current?.kind === 'replacement'
              ? ` — ${l.readingReplacement}`
              : '';
        return [
          `№ ${m.serial}`,
          placeName(m.place, l),
          value(m.previous, m),
          `${value(m.current, m)}${note}`,
          m.consumptionLitres === null ? '—' : volume(m.consumptionLitres),
        ];
      }),
      columns: READINGS_COLUMNS,
    });
  }
  if (model.norm) {
    pdf.paragraph(
      fill(l.byNorm, {
        residents: model.norm.residents,
        norm: volume(model.norm.litresPerResident),
        volume: volume(model.norm.volumeLitres),
      }),
    );
    pdf.y += 1;
  }
}

function movementsSection(pdf: StatementPdf, model: Breakdown, l: PdfLabels): void {
  if (model.recalculations.length > 0) {
    pdf.section(l.recalculationsTitle);
    pdf.table({
      columns: [{ kind: 'nowrap' }, { kind: 'nowrap' }, { kind: 'text' }, { kind: 'money' }],
      head: [[l.colDate, l.colService, l.colOperation, l.colRecalculation]],
      body: model.recalculations.map((r) => [
        date(r.postedOn),
        serviceName(r.service, l),
        l.recalculationReasons[r.reason] ?? r.reason,
        money(r.amountTiyn),
      ]),
    });
  }
  if (model.payments.length > 0) {
    pdf.section(l.paymentsTitle);
    pdf.table({
      columns: [{ kind: 'nowrap' }, { kind: 'text' }, { kind: 'money' }],
      head: [[l.colDate, l.colOperation, l.colPaid]],
      body: model.payments.map((p) => [date(p.paidOn), channelName(p.channel, l), money(p.amountTiyn)]),
    });
  }
}

/** The document's identity in the file (title, subject, the print date, the account). */
export function breakdownMeta(model: Breakdown, l: PdfLabels, printedAt: Date): PdfMeta {
  const subtitle = fill(l.breakdownSubtitle, { monthYear: monthYear(model.period, l) });
  return {
    title: `${l.breakdownTitle} ${subtitle}`,
    subject: l.breakdownTitle,
    printedAt,
    accountNumber: model.account.number,
  };
}

export function renderBreakdownPdf(model: Breakdown, options: RenderOptions): Uint8Array {
  const l = pdfLabels[options.language];
  const pdf = new StatementPdf(options.fonts, l, breakdownMeta(model, l, options.printedAt));
  drawBreakdown(pdf, model, l);
  return pdf.finish();
}

/** The breakdown drawn from the current page on (a statement of its own, or one customer's in a batch). */
export function drawBreakdown(pdf: StatementPdf, model: Breakdown, l: PdfLabels): void {
  const subtitle = fill(l.breakdownSubtitle, { monthYear: monthYear(model.period, l) });
  pdf.header(model, l.breakdownTitle, [subtitle]);
  const facts = partyFacts(model, l);
  facts.push([l.period, `${date(model.from)} – ${date(model.to)}`]);
  if (model.norm) facts.push([l.residents, String(model.norm.residents)]);
  pdf.facts(facts);

  pdf.table({
    columns: CHARGE_COLUMNS,
    head: [[l.colService, l.colUnit, l.colVolume, l.colTariff, l.colCharged, l.colRecalculation, l.colPaid]],
    body: chargeRows(model, l),
    foot: [
      [
        l.total,
        '',
        '',
        '',
        money(model.totals.chargedTiyn),
        money(model.totals.recalculationTiyn),
        money(model.totals.paidTiyn),
      ],
    ],
  });
  summary(pdf, model, l);
  readingsSection(pdf, model, l);
  movementsSection(pdf, model, l);
  pdf.runningTitle(l.breakdownTitle);
}

/** 'Расшифровка_123456_2026-10.pdf' */
export function breakdownFileName(model: Pick<Breakdown, 'account' | 'period'>, language: PdfLanguage): string {
  return `${pdfLabels[language].fileBreakdown}_${model.account.number}_${model.period}.pdf`;
}
