// «Сверка взаиморасчётов» as an A4 PDF: opening balance, every charge, recalculation and payment in
// date order with the running balance, turnovers and the closing balance. For a legal entity it is
// a formal акт сверки: the counterparty's columns to fill in, a conclusion and signature blocks.
import type { Reconciliation, ReconciliationEntry, PdfLanguage } from '../schemas/statements';
import { formatAddress } from '../statements/parties';
import { CONTENT_WIDTH, PAGE, partyFacts, StatementPdf, type TableRow } from './document';
import { balanceText, channelName, date, money, moneyWithCurrency, monthYear, serviceName } from './format';
import type { RenderOptions } from './breakdown';
import { fill, pdfLabels, type PdfLabels } from './labels';

const BOLD = { fontStyle: 'bold' as const };

function operation(entry: ReconciliationEntry, l: PdfLabels): string {
  const service = entry.service ? serviceName(entry.service, l) : '';
  const month = monthYear(entry.period, l);
  if (entry.kind === 'charge') return fill(l.entryCharge, { monthYear: month, service });
  if (entry.kind === 'recalculation') return `${fill(l.entryRecalculation, { monthYear: month, service })}${entry.note ? `\n${entry.note}` : ''}`;
  return fill(l.entryPayment, { channel: channelName(entry.note, l) });
}

const blank = (n: number): string[] => Array.from({ length: n }, () => '');

function rowsOf(model: Reconciliation, l: PdfLabels, extraColumns: number): { body: TableRow[]; foot: TableRow[] } {
  const opening: TableRow = [date(model.from), { content: fill(l.balanceAt, { date: date(model.from) }), styles: BOLD }, '', '', { content: money(model.openingTiyn), styles: BOLD }, ...blank(extraColumns)];
  const body: TableRow[] = [
    opening,
    ...model.entries.map((e): TableRow => [
      date(e.date),
      operation(e, l),
      e.kind === 'payment' ? '' : money(e.debitTiyn),
      e.kind === 'payment' ? money(e.creditTiyn) : '',
      money(e.balanceTiyn),
      ...blank(extraColumns),
    ]),
  ];
  const foot: TableRow[] = [
    ['', l.turnover, money(model.totals.debitTiyn), money(model.totals.paidTiyn), '', ...blank(extraColumns)],
    [date(model.to), fill(l.balanceAt, { date: date(model.to) }), '', '', money(model.totals.closingTiyn), ...blank(extraColumns)],
  ];
  return { body, foot };
}

function signatureBlocks(pdf: StatementPdf, model: Reconciliation, l: PdfLabels): void {
  pdf.ensureSpace(58);
  const columnWidth = (CONTENT_WIDTH - 10) / 2;
  const columns = [
    {
      x: PAGE.marginX,
      party: model.utility.name,
      lines: [`${l.bin} ${model.utility.bin}`, `${l.iban} ${model.utility.iban}`, model.utility.bank, model.utility.address],
    },
    {
      x: PAGE.marginX + columnWidth + 10,
      party: model.owner.name,
      lines: [model.owner.bin ? `${l.bin} ${model.owner.bin}` : '', formatAddress(model.address, l.apartment)],
    },
  ];
  const top = pdf.y + 2;
  let bottom = top;
  for (const column of columns) {
    let y = top;
    y += pdf.text(fill(l.signFrom, { party: column.party }), column.x, y, { size: 9.5, bold: true, maxWidth: columnWidth }) + 1;
    for (const line of column.lines.filter((s) => s.trim() !== '')) y += pdf.text(line, column.x, y, { size: 8, muted: true, maxWidth: columnWidth });
    y += 7;
    for (const role of [l.signDirector, l.signAccountant]) {
      pdf.text(role, column.x, y, { size: 9 });
      pdf.text('_____________  /_______________/', column.x, y + 6, { size: 9 });
      pdf.text(l.signName, column.x + 4, y + 10.5, { size: 7, muted: true });
      y += 17;
    }
    pdf.text(l.stamp, column.x, y, { size: 9 });
    bottom = Math.max(bottom, y + 6);
  }
  pdf.y = bottom;
}

export function renderReconciliationPdf(model: Reconciliation, options: RenderOptions): Uint8Array {
  const l = pdfLabels[options.language];
  const title = model.formalAct ? l.actTitle : l.reconciliationTitle;
  const range = fill(l.rangeSubtitle, { from: date(model.from), to: date(model.to) });
  const pdf = new StatementPdf(options.fonts, l, { title: `${title} ${range}`, subject: title, printedAt: options.printedAt, accountNumber: model.account.number });
  const subtitles = [range];
  if (model.formalAct) {
    subtitles.push(fill(l.actParties, { utility: model.utility.name, customer: model.owner.name }));
    if (model.account.contractNumber) subtitles.push(fill(l.actContract, { contract: model.account.contractNumber }));
  }
  pdf.header(model, title, subtitles);
  const facts = partyFacts(model, l);
  facts.push([l.period, `${date(model.from)} – ${date(model.to)}`]);
  pdf.facts(facts);

  if (model.formalAct) {
    // The standard act: our figures, and blank columns where the customer writes theirs.
    const { body, foot } = rowsOf(model, l, 2);
    pdf.table({
      head: [
        [
          { content: l.colDate, rowSpan: 2 },
          { content: l.colOperation, rowSpan: 2 },
          { content: fill(l.actByData, { party: model.utility.name }), colSpan: 3 },
          { content: fill(l.actByData, { party: model.owner.name }), colSpan: 2 },
        ],
        [l.colDebit, l.colCredit, l.colBalance, l.colDebit, l.colCredit],
      ],
      body,
      foot,
      columnStyles: { 0: { cellWidth: 21, halign: 'left' }, 2: { cellWidth: 22 }, 3: { cellWidth: 22 }, 4: { cellWidth: 23 }, 5: { cellWidth: 18 }, 6: { cellWidth: 18 } },
      numericFrom: 2,
      fontSize: 8,
    });
    const closing = model.totals.closingTiyn;
    const conclusion =
      closing === 0
        ? fill(l.actConclusionNone, { utility: model.utility.name, date: date(model.to) })
        : fill(l.actConclusionDebt, {
            utility: model.utility.name,
            date: date(model.to),
            creditor: closing > 0 ? model.utility.name : model.owner.name,
            amount: moneyWithCurrency(Math.abs(closing)),
          });
    pdf.paragraph(conclusion, { bold: true });
    signatureBlocks(pdf, model, l);
  } else {
    const { body, foot } = rowsOf(model, l, 0);
    pdf.table({
      head: [[l.colDate, l.colOperation, l.colCharged, l.colPaid, l.colBalance]],
      body,
      foot,
      columnStyles: { 0: { cellWidth: 22, halign: 'left' }, 2: { cellWidth: 28 }, 3: { cellWidth: 28 }, 4: { cellWidth: 30 } },
      numericFrom: 2,
    });
    pdf.paragraph(`${fill(l.balanceAt, { date: date(model.to) })}: ${balanceText(model.totals.closingTiyn, l)}`, { bold: true });
  }
  return pdf.finish(title);
}

/** 'Сверка_123456_2025-01-01_2026-10-31.pdf'; 'Акт_сверки_…' for a legal entity. */
export function reconciliationFileName(model: Pick<Reconciliation, 'account' | 'from' | 'to' | 'formalAct'>, language: PdfLanguage): string {
  const l = pdfLabels[language];
  return `${model.formalAct ? l.fileAct : l.fileReconciliation}_${model.account.number}_${model.from}_${model.to}.pdf`;
}
