// What frames a statement's pages: the utility's requisites and the title on top, the parties'
// facts, and on every page the footer «Стр. N из M» with the print date and, on continuation pages, the
// running head.
import type { StatementParties } from '../schemas/statements';
import { formatAddress } from '../statements/parties';
import type { StatementPdf } from './document';
import { almatyDateTime, date } from './format';
import { fill, type PdfLabels } from './labels';
import { CONTENT_WIDTH, PAGE, RULE, type Section } from './page';

/** The utility's name and requisites, a rule, then the document's title and subtitles. */
export function drawHeader(pdf: StatementPdf, parties: StatementParties, title: string, subtitles: string[]): void {
  const { utility } = parties;
  const l = pdf.labels;
  let y = 12;
  y += pdf.text(utility.name, PAGE.marginX, y, { size: 11, bold: true, maxWidth: CONTENT_WIDTH });
  const requisites = [
    `${l.bin} ${utility.bin}`,
    `${l.iban} ${utility.iban}`,
    utility.bank,
    utility.bik ? `${l.bik} ${utility.bik}` : '',
    utility.kbe ? `${l.kbe} ${utility.kbe}` : '',
  ]
    .filter((s) => s.trim() !== '')
    .join(' · ');
  y += pdf.text(requisites, PAGE.marginX, y + 0.5, { size: 8, muted: true, maxWidth: CONTENT_WIDTH });
  const contacts = [utility.address, utility.phone ? `${l.phone} ${utility.phone}` : '']
    .filter((s) => s.trim() !== '')
    .join(' · ');
  y += pdf.text(contacts, PAGE.marginX, y + 0.5, { size: 8, muted: true, maxWidth: CONTENT_WIDTH });
  y += 2.5;
  pdf.doc.setDrawColor(...RULE);
  pdf.doc.setLineWidth(0.3);
  pdf.doc.line(PAGE.marginX, y, PAGE.width - PAGE.marginX, y);
  y += 5;
  y += pdf.text(title, PAGE.width / 2, y, { size: 14, bold: true, align: 'center', maxWidth: CONTENT_WIDTH });
  for (const subtitle of subtitles)
    y += pdf.text(subtitle, PAGE.width / 2, y + 0.8, { size: 10, align: 'center', maxWidth: CONTENT_WIDTH }) + 0.8;
  // A closed account's statement says so where nobody can miss it.
  if (parties.account.closedOn)
    y +=
      pdf.text(fill(l.accountClosed, { date: date(parties.account.closedOn) }), PAGE.width / 2, y + 1.5, {
        size: 10,
        bold: true,
        align: 'center',
        maxWidth: CONTENT_WIDTH,
      }) + 1.5;
  pdf.y = y + 4;
}

export function drawFooters(
  pdf: StatementPdf,
  { firstPage, labels, meta, runningTitle }: Section,
  lastPage: number,
): void {
  const { doc } = pdf;
  const pages = lastPage - firstPage + 1;
  const printed = fill(labels.printedAt, { date: almatyDateTime(meta.printedAt) });
  for (let n = 1; n <= pages; n++) {
    doc.setPage(firstPage + n - 1);
    if (n > 1) {
      pdf.text(fill(labels.continued, { title: runningTitle, account: meta.accountNumber }), PAGE.marginX, 9, {
        size: 8,
        muted: true,
        maxWidth: CONTENT_WIDTH,
      });
    }
    const footerY = PAGE.height - 11;
    doc.setDrawColor(...RULE);
    doc.setLineWidth(0.2);
    doc.line(PAGE.marginX, footerY - 1.5, PAGE.width - PAGE.marginX, footerY - 1.5);
    pdf.text(printed, PAGE.marginX, footerY, { size: 8, muted: true });
    pdf.text(fill(labels.page, { n, m: pages }), PAGE.width - PAGE.marginX, footerY, {
      size: 8,
      muted: true,
      align: 'right',
    });
  }
}

/** Header facts common to both documents. */
export function partyFacts(parties: StatementParties, labels: PdfLabels): [string, string][] {
  const facts: [string, string][] = [[labels.account, parties.account.number]];
  if (parties.account.contractNumber)
    facts.push([labels.contract, fill(labels.contractNumber, { contract: parties.account.contractNumber })]);
  facts.push([
    labels.owner,
    parties.owner.bin ? `${parties.owner.name}, ${labels.bin} ${parties.owner.bin}` : parties.owner.name,
  ]);
  facts.push([labels.address, formatAddress(parties.address, labels.apartment, labels)]);
  return facts;
}
