// The page every statement is printed on: A4, the utility's requisites on top, the parties block,
// tables that break across pages with their header repeated, and a footer «Стр. N из M» with the
// print date. Every string goes through the font's sanitizer before jsPDF sees it (see text.ts).
import { jsPDF } from 'jspdf';
import { autoTable, type CellInput, type RowInput, type Styles, type UserOptions } from 'jspdf-autotable';
import type { StatementParties } from '../schemas/statements';
import { formatAddress } from '../statements/parties';
import { almatyDateTime } from './format';
import { FONT_FAMILY, registerFonts, type PdfFonts } from './fonts';
import { fill, type PdfLabels } from './labels';

export const PAGE = {
  width: 210,
  height: 297,
  marginX: 15,
  /** top of continuation pages: room for the running head */
  marginTop: 17,
  /** room for the footer */
  marginBottom: 17,
} as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.marginX;

const INK: [number, number, number] = [33, 33, 33];
const MUTED: [number, number, number] = [100, 100, 100];
const RULE: [number, number, number] = [170, 170, 170];
const HEAD_FILL: [number, number, number] = [229, 236, 243];
const TOTAL_FILL: [number, number, number] = [245, 245, 245];

export interface PdfMeta {
  title: string;
  subject: string;
  printedAt: Date;
  accountNumber: string;
}

type TableCell = string | { content: string; colSpan?: number; rowSpan?: number; styles?: Partial<Styles> };
export type TableRow = TableCell[];

export interface TableSpec {
  head: TableRow[];
  body: TableRow[];
  foot?: TableRow[];
  columnStyles?: Record<number, Partial<Styles>>;
  /** the first column is a label; the rest are right-aligned numbers unless columnStyles say otherwise */
  numericFrom?: number;
  fontSize?: number;
}

export class StatementPdf {
  readonly doc: jsPDF;
  /** the vertical cursor in mm */
  y: number = PAGE.marginX;

  constructor(
    readonly fonts: PdfFonts,
    readonly labels: PdfLabels,
    private readonly meta: PdfMeta,
  ) {
    this.doc = new jsPDF({ unit: 'mm', format: 'a4', orientation: 'portrait', compress: true });
    registerFonts(this.doc, fonts);
    this.doc.setProperties({ title: this.t(meta.title), subject: this.t(meta.subject), creator: 'AquaDesk' });
    // A fixed date and id make the same statement produce the same bytes (tests, mail dedup).
    this.doc.setCreationDate(meta.printedAt);
    this.doc.setFileId(fileIdOf(`${meta.subject}|${meta.accountNumber}|${meta.printedAt.toISOString()}`));
    this.doc.setTextColor(...INK);
  }

  /** Text as the embedded font can draw it. */
  t(text: string): string {
    return this.fonts.sanitize(text);
  }

  text(text: string, x: number, y: number, options: { size?: number; bold?: boolean; muted?: boolean; align?: 'left' | 'center' | 'right'; maxWidth?: number } = {}): number {
    const { doc } = this;
    doc.setFont(FONT_FAMILY, options.bold ? 'bold' : 'normal');
    doc.setFontSize(options.size ?? 9);
    doc.setTextColor(...(options.muted ? MUTED : INK));
    const lines: string[] = options.maxWidth ? doc.splitTextToSize(this.t(text), options.maxWidth) : [this.t(text)];
    doc.text(lines, x, y, { align: options.align ?? 'left', baseline: 'top' });
    return lines.length * doc.getLineHeight() / doc.internal.scaleFactor;
  }

  /** Starts a new page when fewer than `mm` are left above the footer. */
  ensureSpace(mm: number): void {
    if (this.y + mm > PAGE.height - PAGE.marginBottom) {
      this.doc.addPage();
      this.y = PAGE.marginTop;
    }
  }

  /** The utility's name and requisites, a rule, then the document's title and subtitles. */
  header(parties: StatementParties, title: string, subtitles: string[]): void {
    const { utility } = parties;
    const l = this.labels;
    let y = 12;
    y += this.text(utility.name, PAGE.marginX, y, { size: 11, bold: true, maxWidth: CONTENT_WIDTH });
    const requisites = [`${l.bin} ${utility.bin}`, `${l.iban} ${utility.iban}`, utility.bank].filter((s) => s.trim() !== '').join(' · ');
    y += this.text(requisites, PAGE.marginX, y + 0.5, { size: 8, muted: true, maxWidth: CONTENT_WIDTH });
    const contacts = [utility.address, utility.phone ? `${l.phone} ${utility.phone}` : ''].filter((s) => s.trim() !== '').join(' · ');
    y += this.text(contacts, PAGE.marginX, y + 0.5, { size: 8, muted: true, maxWidth: CONTENT_WIDTH });
    y += 2.5;
    this.doc.setDrawColor(...RULE);
    this.doc.setLineWidth(0.3);
    this.doc.line(PAGE.marginX, y, PAGE.width - PAGE.marginX, y);
    y += 5;
    y += this.text(title, PAGE.width / 2, y, { size: 14, bold: true, align: 'center', maxWidth: CONTENT_WIDTH });
    for (const subtitle of subtitles) y += this.text(subtitle, PAGE.width / 2, y + 0.8, { size: 10, align: 'center', maxWidth: CONTENT_WIDTH }) + 0.8;
    this.y = y + 4;
  }

  /** Label: value lines (account, owner, address, period). */
  facts(rows: [string, string][]): void {
    this.table(
      {
        head: [],
        body: rows.map(([label, value]) => [`${label}:`, { content: value, styles: { fontStyle: 'bold' } }]),
        columnStyles: { 0: { cellWidth: 34, textColor: MUTED }, 1: { cellWidth: 'auto' } },
        numericFrom: 99,
        fontSize: 9.5,
      },
      { theme: 'plain', styles: { lineWidth: 0, cellPadding: { top: 0.6, bottom: 0.6, left: 0, right: 1 } } },
    );
    this.y += 3;
  }

  /** A titled section: starts a new page rather than leave a title alone at the bottom. */
  section(title: string, keepWithMm = 20): void {
    this.ensureSpace(keepWithMm);
    this.y += this.text(title, PAGE.marginX, this.y, { size: 10, bold: true }) + 1.2;
  }

  paragraph(text: string, options: { size?: number; bold?: boolean } = {}): void {
    this.doc.setFont(FONT_FAMILY, options.bold ? 'bold' : 'normal');
    this.doc.setFontSize(options.size ?? 9);
    const lines = (this.doc.splitTextToSize(this.t(text), CONTENT_WIDTH) as string[]).length;
    const height = (lines * this.doc.getLineHeight()) / this.doc.internal.scaleFactor;
    this.ensureSpace(height);
    this.y += this.text(text, PAGE.marginX, this.y, { ...options, maxWidth: CONTENT_WIDTH }) + 1.5;
  }

  table(spec: TableSpec, extra: Partial<UserOptions> = {}): void {
    const cell = (c: TableCell): CellInput => (typeof c === 'string' ? this.t(c) : { ...c, content: this.t(c.content) });
    const rows = (list: TableRow[]): RowInput[] => list.map((row) => row.map(cell));
    const numericFrom = spec.numericFrom ?? 1;
    // Column styles do not reach the foot: its sums are aligned like the body's numbers here.
    const footRows = (spec.foot ?? []).map((row) =>
      row.map((c, i): TableCell => (i < numericFrom ? c : typeof c === 'string' ? { content: c, styles: { halign: 'right' } } : { ...c, styles: { halign: 'right', ...c.styles } })),
    );
    const columnStyles: Record<number, Partial<Styles>> = {};
    const columns = Math.max(0, ...[...spec.head, ...spec.body].map((r) => r.length));
    for (let i = numericFrom; i < columns; i++) columnStyles[i] = { halign: 'right' };
    for (const [key, style] of Object.entries(spec.columnStyles ?? {})) columnStyles[Number(key)] = { ...columnStyles[Number(key)], ...style };
    const { styles: extraStyles, ...extraOptions } = extra;
    autoTable(this.doc, {
      theme: 'grid',
      startY: this.y,
      margin: { left: PAGE.marginX, right: PAGE.marginX, top: PAGE.marginTop, bottom: PAGE.marginBottom },
      head: rows(spec.head),
      body: rows(spec.body),
      foot: spec.foot ? rows(footRows) : undefined,
      showHead: 'everyPage',
      showFoot: 'lastPage',
      rowPageBreak: 'avoid',
      styles: { font: FONT_FAMILY, fontStyle: 'normal', fontSize: spec.fontSize ?? 8.5, textColor: INK, lineColor: RULE, lineWidth: 0.2, cellPadding: 1.4, valign: 'middle', overflow: 'linebreak', ...extraStyles },
      headStyles: { font: FONT_FAMILY, fontStyle: 'bold', fillColor: HEAD_FILL, textColor: INK, halign: 'center' },
      footStyles: { font: FONT_FAMILY, fontStyle: 'bold', fillColor: TOTAL_FILL, textColor: INK },
      columnStyles,
      ...extraOptions,
    });
    const last = (this.doc as unknown as { lastAutoTable?: { finalY?: number } }).lastAutoTable;
    this.y = (last?.finalY ?? this.y) + 4;
  }

  /** Footers on every page and running heads on continuation pages; returns the file's bytes. */
  finish(runningTitle: string): Uint8Array {
    const { doc, labels } = this;
    const pages = doc.getNumberOfPages();
    const printed = fill(labels.printedAt, { date: almatyDateTime(this.meta.printedAt) });
    for (let n = 1; n <= pages; n++) {
      doc.setPage(n);
      if (n > 1) {
        this.text(fill(labels.continued, { title: runningTitle, account: this.meta.accountNumber }), PAGE.marginX, 9, { size: 8, muted: true, maxWidth: CONTENT_WIDTH });
      }
      const footerY = PAGE.height - 11;
      doc.setDrawColor(...RULE);
      doc.setLineWidth(0.2);
      doc.line(PAGE.marginX, footerY - 1.5, PAGE.width - PAGE.marginX, footerY - 1.5);
      this.text(printed, PAGE.marginX, footerY, { size: 8, muted: true });
      this.text(fill(labels.page, { n, m: pages }), PAGE.width - PAGE.marginX, footerY, { size: 8, muted: true, align: 'right' });
    }
    return new Uint8Array(doc.output('arraybuffer'));
  }
}

/** A 32-hex-digit file id derived from the document's identity (FNV-1a, repeated for width). */
function fileIdOf(text: string): string {
  let out = '';
  for (let round = 0; round < 4; round++) {
    let hash = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    out += hash.toString(16).padStart(8, '0');
  }
  return out.toUpperCase();
}

/** Header facts common to both documents. */
export function partyFacts(parties: StatementParties, labels: PdfLabels): [string, string][] {
  const facts: [string, string][] = [[labels.account, parties.account.number]];
  if (parties.account.contractNumber) facts.push([labels.contract, `№ ${parties.account.contractNumber}`]);
  facts.push([labels.owner, parties.owner.bin ? `${parties.owner.name}, ${labels.bin} ${parties.owner.bin}` : parties.owner.name]);
  facts.push([labels.address, formatAddress(parties.address, labels.apartment)]);
  return facts;
}
