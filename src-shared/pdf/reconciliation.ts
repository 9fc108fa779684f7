// «Сверка взаиморасчётов» as an A4 PDF: opening balance, every charge (naming its service),
// recalculation and payment in date order with the running balance, turnovers and the closing balance.
// For a legal entity it is the act of reconciliation an accountant expects (as 1C prints it): its
// number and date, «Мы, нижеподписавшиеся…», our entries with their documents, debits and credits
// beside the counterparty's columns to fill in, turnovers (with the VAT they include for a VAT payer)
// and balances on both sides, both parties' conclusions, and signature and stamp blocks side by side.
import { almatyDate, type IsoDate } from '../domain/period';
import type { PdfLanguage, Reconciliation, ReconciliationEntry } from '../schemas/statements';
import { formatAddress } from '../statements/parties';
import { CONTENT_WIDTH, MUTED, PAGE, partyFacts, StatementPdf, type TableColumn, type TableRow } from './document';
import { balanceText, channelName, date, money, moneyWithCurrency, monthYear, serviceName } from './format';
import type { RenderOptions } from './breakdown';
import { fill, pdfLabels, type PdfLabels } from './labels';

const BOLD = { fontStyle: 'bold' as const };

/** What an entry was: a charge or recalculation names its service and month, a payment its number. */
function operation(entry: ReconciliationEntry, l: PdfLabels, formal: boolean): string {
  const values = { monthYear: monthYear(entry.period, l), service: entry.service ? serviceName(entry.service, l) : '' };
  if (entry.kind === 'charge') return fill(formal ? l.actCharge : l.entryCharge, values);
  if (entry.kind === 'recalculation')
    return `${fill(l.entryRecalculation, values)}${entry.note ? `\n${l.recalculationReasons[entry.note] ?? entry.note}` : ''}`;
  const payment = { number: entry.paymentId ?? '—', date: date(entry.date), channel: channelName(entry.note, l) };
  return fill(formal ? l.actPayment : l.entryPayment, payment);
}

const blank = (n: number): string[] => Array.from({ length: n }, () => '');
const compact = (iso: IsoDate) => iso.slice(2).replace(/-/g, '');

/** The act's number: the account and the range, so the same act always carries the same number. */
export function actNumber(model: Pick<Reconciliation, 'account' | 'from' | 'to'>): string {
  return `${model.account.number}-${compact(model.from)}-${compact(model.to)}`;
}

function renderStatement(pdf: StatementPdf, model: Reconciliation, l: PdfLabels): void {
  const columns: TableColumn[] = [
    { kind: 'nowrap' },
    { kind: 'text' },
    { kind: 'money' },
    { kind: 'money' },
    { kind: 'money' },
  ];
  const body: TableRow[] = [
    [
      date(model.from),
      { content: fill(l.balanceAt, { date: date(model.from) }), styles: BOLD },
      '',
      '',
      { content: money(model.openingTiyn), styles: BOLD },
    ],
    ...model.entries.map((e): TableRow => [
      date(e.date),
      operation(e, l, false),
      e.kind === 'payment' ? '' : money(e.debitTiyn),
      e.kind === 'payment' ? money(e.creditTiyn) : '',
      money(e.balanceTiyn),
    ]),
  ];
  const foot: TableRow[] = [
    ['', l.turnover, money(model.totals.debitTiyn), money(model.totals.paidTiyn), ''],
    [date(model.to), fill(l.balanceAt, { date: date(model.to) }), '', '', money(model.totals.closingTiyn)],
  ];
  pdf.table({ columns, head: [[l.colDate, l.colOperation, l.colCharged, l.colPaid, l.colBalance]], body, foot });
  pdf.paragraph(`${fill(l.balanceAt, { date: date(model.to) })}: ${balanceText(model.totals.closingTiyn, l)}`, {
    bold: true,
  });
}

/** A balance on the act: what the customer owes in the debit column, a prepayment in the credit one. */
const sides = (tiyn: number): [string, string] =>
  tiyn > 0 ? [money(tiyn), ''] : tiyn < 0 ? ['', money(-tiyn)] : [money(0), ''];

function renderActTable(pdf: StatementPdf, model: Reconciliation, l: PdfLabels): void {
  const columns: TableColumn[] = [
    { kind: 'nowrap' },
    { kind: 'text', grow: 3 },
    { kind: 'money' },
    { kind: 'money' },
    // The counterparty's side, blank: room to write dates and sums by hand.
    { kind: 'nowrap', minWidth: 15 },
    { kind: 'text', minWidth: 16 },
    { kind: 'money', minWidth: 19 },
    { kind: 'money', minWidth: 19 },
  ];
  const both = (label: string, ours: [string, string]): TableRow => [
    { content: label, colSpan: 2 },
    ...ours,
    { content: label, colSpan: 2 },
    '',
    '',
  ];
  const opening = fill(l.balanceAt, { date: date(model.from) });
  const body: TableRow[] = [
    both(opening, sides(model.openingTiyn)).map((c, i) =>
      i === 0 || i === 3 ? { ...(c as { content: string; colSpan: number }), styles: BOLD } : c,
    ),
    ...model.entries.map((e): TableRow => [
      date(e.date),
      operation(e, l, true),
      e.kind === 'payment' ? '' : money(e.debitTiyn),
      e.kind === 'payment' ? money(e.creditTiyn) : '',
      ...blank(4),
    ]),
  ];
  const foot: TableRow[] = [both(l.turnover, [money(model.totals.debitTiyn), money(model.totals.paidTiyn)])];
  // A VAT payer's VAT of the debit turnover, per rate (the model's, as on screen).
  for (const rate of model.totals.vat)
    foot.push(both(fill(l.vatIncluded, { rate: rate.percent }), [money(rate.vatTiyn), '']));
  foot.push(both(fill(l.balanceAt, { date: date(model.to) }), sides(model.totals.closingTiyn)));
  pdf.table({
    columns,
    head: [
      [
        { content: fill(l.actByData, { party: model.utility.name }), colSpan: 4 },
        { content: fill(l.actByData, { party: model.owner.name }), colSpan: 4 },
      ],
      [l.colDate, l.colDocument, l.colDebit, l.colCredit, l.colDate, l.colDocument, l.colDebit, l.colCredit],
    ],
    body,
    foot,
    fontSize: 8,
  });
}

/** Two columns drawn side by side, row by row: each row starts at the same height on both sides. */
function sideBySide(
  pdf: StatementPdf,
  rows: ((x: number, y: number, width: number, side: 0 | 1) => number)[],
  gap = 10,
): void {
  const width = (CONTENT_WIDTH - gap) / 2;
  const xs = [PAGE.marginX, PAGE.marginX + width + gap];
  let y = pdf.y;
  for (const row of rows) {
    const heights = ([0, 1] as const).map((side) => row(xs[side]!, y, width, side));
    y += Math.max(...heights);
  }
  pdf.y = y;
}

function conclusions(pdf: StatementPdf, model: Reconciliation, l: PdfLabels): void {
  const closing = model.totals.closingTiyn;
  const ours =
    closing === 0
      ? fill(l.actConclusionNone, { utility: model.utility.name, date: date(model.to) })
      : fill(l.actConclusionDebt, {
          utility: model.utility.name,
          date: date(model.to),
          creditor: closing > 0 ? model.utility.name : model.owner.name,
          amount: moneyWithCurrency(Math.abs(closing)),
        });
  const theirs = fill(l.actTheirConclusion, { party: model.owner.name, date: date(model.to) });
  pdf.ensureSpace(34);
  sideBySide(pdf, [
    (x, y, width, side) => pdf.text(side === 0 ? ours : theirs, x, y, { size: 9, bold: true, maxWidth: width }) + 2,
    (x, y, width, side) => {
      if (side === 0) return 0;
      // The counterparty's conclusion, written by hand.
      pdf.doc.setDrawColor(...MUTED);
      pdf.doc.setLineWidth(0.2);
      for (let i = 1; i <= 3; i++) pdf.doc.line(x, y + i * 6.5, x + width, y + i * 6.5);
      return 3 * 6.5 + 4;
    },
  ]);
}

function signatureBlocks(pdf: StatementPdf, model: Reconciliation, l: PdfLabels): void {
  const parties = [
    {
      name: model.utility.name,
      lines: [
        `${l.bin} ${model.utility.bin}`,
        `${l.iban} ${model.utility.iban}`,
        model.utility.bank,
        ...(model.utility.bik ? [`${l.bik} ${model.utility.bik}`] : []),
        ...(model.utility.kbe ? [`${l.kbe} ${model.utility.kbe}`] : []),
        model.utility.address,
      ],
    },
    {
      name: model.owner.name,
      lines: [model.owner.bin ? `${l.bin} ${model.owner.bin}` : '', formatAddress(model.address, l.apartment, l)],
    },
  ].map((p) => ({ ...p, lines: p.lines.filter((s) => s.trim() !== '') }));
  const signLine = (x: number, y: number, width: number, role: string) => {
    pdf.text(role, x, y, { size: 9 });
    const lineY = y + 10;
    const sign = 30;
    const name = Math.min(48, width - sign - 5);
    pdf.doc.setDrawColor(...MUTED);
    pdf.doc.setLineWidth(0.25);
    pdf.doc.line(x, lineY, x + sign, lineY);
    pdf.text('/', x + sign + 1.2, lineY - 3.6, { size: 9 });
    pdf.doc.line(x + sign + 4, lineY, x + sign + 4 + name, lineY);
    pdf.text('/', x + sign + 5 + name, lineY - 3.6, { size: 9 });
    pdf.text(l.signSignature, x + sign / 2, lineY + 0.8, { size: 6.5, muted: true, align: 'center' });
    pdf.text(l.signName, x + sign + 4 + name / 2, lineY + 0.8, { size: 6.5, muted: true, align: 'center' });
    return 17;
  };
  // The whole block stays on one page: the parties' heads, requisites, two signatures and the stamp.
  const headHeight = Math.max(
    ...parties.map((p) =>
      pdf.textHeight(fill(l.signFrom, { party: p.name }), {
        size: 9.5,
        bold: true,
        maxWidth: (CONTENT_WIDTH - 10) / 2,
      }),
    ),
  );
  const requisitesHeight = Math.max(
    ...parties.map((p) =>
      p.lines.reduce((h, line) => h + pdf.textHeight(line, { size: 8, maxWidth: (CONTENT_WIDTH - 10) / 2 }), 0),
    ),
  );
  pdf.ensureSpace(headHeight + requisitesHeight + 2 * 17 + 20);
  pdf.y += 3;
  sideBySide(pdf, [
    (x, y, width, side) =>
      pdf.text(fill(l.signFrom, { party: parties[side]!.name }), x, y, { size: 9.5, bold: true, maxWidth: width }) + 1,
    (x, y, width, side) =>
      parties[side]!.lines.reduce(
        (h, line) => h + pdf.text(line, x, y + h, { size: 8, muted: true, maxWidth: width }),
        0,
      ) + 5,
    (x, y, width) => signLine(x, y, width, l.signDirector),
    (x, y, width) => signLine(x, y, width, l.signAccountant),
    (x, y) => pdf.text(l.stamp, x, y + 2, { size: 9 }) + 4,
  ]);
}

export function renderReconciliationPdf(model: Reconciliation, options: RenderOptions): Uint8Array {
  const l = pdfLabels[options.language];
  const title = model.formalAct ? l.actTitle : l.reconciliationTitle;
  const range = fill(l.rangeSubtitle, { from: date(model.from), to: date(model.to) });
  const pdf = new StatementPdf(options.fonts, l, {
    title: `${title} ${range}`,
    subject: title,
    printedAt: options.printedAt,
    accountNumber: model.account.number,
  });
  if (!model.formalAct) {
    pdf.header(model, title, [range]);
    const facts = partyFacts(model, l);
    facts.push([l.period, `${date(model.from)} – ${date(model.to)}`]);
    pdf.facts(facts);
    renderStatement(pdf, model, l);
    return pdf.finish(title);
  }
  const subtitles = [
    fill(l.actNumber, { number: actNumber(model), date: date(almatyDate(options.printedAt)) }),
    range,
    fill(l.actParties, { utility: model.utility.name, customer: model.owner.name }),
  ];
  if (model.account.contractNumber) subtitles.push(fill(l.actContract, { contract: model.account.contractNumber }));
  pdf.header(model, title, subtitles);
  pdf.facts(partyFacts(model, l));
  pdf.paragraph(fill(l.actPreamble, { utility: model.utility.name, customer: model.owner.name }));
  pdf.y += 1;
  renderActTable(pdf, model, l);
  conclusions(pdf, model, l);
  signatureBlocks(pdf, model, l);
  return pdf.finish(title);
}

/** 'Сверка_123456_2025-01-01_2026-10-31.pdf'; 'Акт_сверки_…' for a legal entity. */
export function reconciliationFileName(
  model: Pick<Reconciliation, 'account' | 'from' | 'to' | 'formalAct'>,
  language: PdfLanguage,
): string {
  const l = pdfLabels[language];
  return `${model.formalAct ? l.fileAct : l.fileReconciliation}_${model.account.number}_${model.from}_${model.to}.pdf`;
}
