// The page every statement is printed on: A4, the utility's requisites on top, the parties block,
// tables laid out from their content (layout.ts) that break across pages with their header
// repeated, and a footer «Стр. N из M» with the print date. Every string goes through the font's
// sanitizer before jsPDF sees it (see text.ts).
import { jsPDF } from 'jspdf';
import { autoTable, type CellInput, type RowInput, type Styles } from 'jspdf-autotable';
import type { StatementParties } from '../schemas/statements';
import { formatAddress } from '../statements/parties';
import { almatyDateTime, date } from './format';
import { FONT_FAMILY, registerFonts, tuneJsPdf, type PdfFonts } from './fonts';
import { shortcuts } from './jspdf-tuning';
import { fill, type PdfLabels } from './labels';
import { layoutTable, type ColumnSpec, type LayoutRow } from './layout';
import { drawTable, type DrawTableInput } from './table-draw';

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
export const MUTED: [number, number, number] = [100, 100, 100];
const RULE: [number, number, number] = [170, 170, 170];
const HEAD_FILL: [number, number, number] = [229, 236, 243];
const TOTAL_FILL: [number, number, number] = [245, 245, 245];

export interface PdfMeta {
  title: string;
  subject: string;
  printedAt: Date;
  accountNumber: string;
}

export type TableCell = string | { content: string; colSpan?: number; styles?: Partial<Styles> };
export type TableRow = TableCell[];

/** A column: what it holds (money and `nowrap` never wrap; `text` wraps at spaces) and its alignment. */
export interface TableColumn extends ColumnSpec {
  /** default: money right, everything else left */
  halign?: 'left' | 'center' | 'right';
}

export interface TableSpec {
  columns: TableColumn[];
  head: TableRow[];
  body: TableRow[];
  /** bold totals under the body, on the last page */
  foot?: TableRow[];
  fontSize?: number;
  /** the width the table would like, mm (default the content width) */
  width?: number;
  /** the widest it may grow when its content needs it (default `width`) */
  maxWidth?: number;
  /** 'right': against the right margin (the breakdown's summary) */
  align?: 'left' | 'right';
  theme?: 'grid' | 'plain';
  /** cell padding, mm (default 1.4 on every side) */
  padding?: { top: number; bottom: number; left: number; right: number };
}

/** Text widths measured, per set of fonts (mm, by size, face and text); started afresh when this large. */
const widthsOf = new WeakMap<PdfFonts, Map<string, number>>();
const MAX_KNOWN_WIDTHS = 50_000;

/** Values in money and `nowrap` columns are drawn as they are: never wrapped, whatever happens. */
const keepLines = (text: string | string[]): string | string[] => text;

/** One customer's document inside the file: its first page, words and running title. */
interface Section {
  firstPage: number;
  labels: PdfLabels;
  meta: PdfMeta;
  runningTitle: string;
}

export class StatementPdf {
  readonly doc: jsPDF;
  /** the vertical cursor in mm */
  y: number = PAGE.marginX;
  /** a batch holds many customers' documents, each numbered «Стр. N из M» on its own */
  private readonly sections: Section[];

  constructor(
    readonly fonts: PdfFonts,
    public labels: PdfLabels,
    private meta: PdfMeta,
  ) {
    this.sections = [{ firstPage: 1, labels, meta, runningTitle: meta.subject }];
    // Coordinates to 1/100 pt: jsPDF's default of 16 decimals wrote ~1 KB of invisible digits per page.
    tuneJsPdf(fonts);
    this.doc = new jsPDF({ unit: 'mm', format: 'a4', orientation: 'portrait', compress: true, floatPrecision: 2 });
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

  text(
    text: string,
    x: number,
    y: number,
    options: {
      size?: number;
      bold?: boolean;
      muted?: boolean;
      align?: 'left' | 'center' | 'right';
      maxWidth?: number;
    } = {},
  ): number {
    const { doc } = this;
    doc.setFont(FONT_FAMILY, options.bold ? 'bold' : 'normal');
    doc.setFontSize(options.size ?? 9);
    doc.setTextColor(...(options.muted ? MUTED : INK));
    const lines: string[] = options.maxWidth ? doc.splitTextToSize(this.t(text), options.maxWidth) : [this.t(text)];
    doc.text(lines, x, y, { align: options.align ?? 'left', baseline: 'top' });
    return (lines.length * doc.getLineHeight()) / doc.internal.scaleFactor;
  }

  /** The height `text` would take, as `text()` would draw it. */
  textHeight(text: string, options: { size?: number; bold?: boolean; maxWidth?: number } = {}): number {
    const { doc } = this;
    doc.setFont(FONT_FAMILY, options.bold ? 'bold' : 'normal');
    doc.setFontSize(options.size ?? 9);
    const lines = options.maxWidth ? (doc.splitTextToSize(this.t(text), options.maxWidth) as string[]).length : 1;
    return (lines * doc.getLineHeight()) / doc.internal.scaleFactor;
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
    const requisites = [
      `${l.bin} ${utility.bin}`,
      `${l.iban} ${utility.iban}`,
      utility.bank,
      utility.bik ? `${l.bik} ${utility.bik}` : '',
      utility.kbe ? `${l.kbe} ${utility.kbe}` : '',
    ]
      .filter((s) => s.trim() !== '')
      .join(' · ');
    y += this.text(requisites, PAGE.marginX, y + 0.5, { size: 8, muted: true, maxWidth: CONTENT_WIDTH });
    const contacts = [utility.address, utility.phone ? `${l.phone} ${utility.phone}` : '']
      .filter((s) => s.trim() !== '')
      .join(' · ');
    y += this.text(contacts, PAGE.marginX, y + 0.5, { size: 8, muted: true, maxWidth: CONTENT_WIDTH });
    y += 2.5;
    this.doc.setDrawColor(...RULE);
    this.doc.setLineWidth(0.3);
    this.doc.line(PAGE.marginX, y, PAGE.width - PAGE.marginX, y);
    y += 5;
    y += this.text(title, PAGE.width / 2, y, { size: 14, bold: true, align: 'center', maxWidth: CONTENT_WIDTH });
    for (const subtitle of subtitles)
      y += this.text(subtitle, PAGE.width / 2, y + 0.8, { size: 10, align: 'center', maxWidth: CONTENT_WIDTH }) + 0.8;
    // A closed account's statement says so where nobody can miss it.
    if (parties.account.closedOn)
      y +=
        this.text(fill(l.accountClosed, { date: date(parties.account.closedOn) }), PAGE.width / 2, y + 1.5, {
          size: 10,
          bold: true,
          align: 'center',
          maxWidth: CONTENT_WIDTH,
        }) + 1.5;
    this.y = y + 4;
  }

  /** Label: value lines (account, owner, address, period). */
  facts(rows: [string, string][]): void {
    this.table({
      columns: [{ kind: 'nowrap', minWidth: 34 }, { kind: 'text' }],
      head: [],
      body: rows.map(([label, value]) => [
        { content: `${label}:`, styles: { textColor: MUTED } },
        { content: value, styles: { fontStyle: 'bold' } },
      ]),
      fontSize: 9.5,
      theme: 'plain',
      padding: { top: 0.6, bottom: 0.6, left: 0, right: 1 },
    });
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

  /**
   * Width in mm of one line of `text` (already sanitized) in the embedded font. The same for every
   * document with these fonts, so kept across documents (a mailing measures the same words, sums and
   * headings letter after letter).
   */
  measure(text: string, fontSize: number, bold: boolean): number {
    let known = widthsOf.get(this.fonts);
    if (!known || known.size > MAX_KNOWN_WIDTHS) widthsOf.set(this.fonts, (known = new Map()));
    const key = `${fontSize}|${bold ? 1 : 0}|${text}`;
    let width = known.get(key);
    if (width === undefined) {
      this.doc.setFont(FONT_FAMILY, bold ? 'bold' : 'normal');
      this.doc.setFontSize(fontSize);
      known.set(key, (width = this.doc.getTextWidth(text)));
    }
    return width;
  }

  table(spec: TableSpec): void {
    const fontSize = spec.fontSize ?? 8.5;
    const padding = spec.padding ?? { top: 1.4, bottom: 1.4, left: 1.4, right: 1.4 };
    const plain = spec.theme === 'plain';
    const norm = (c: TableCell) =>
      typeof c === 'string'
        ? { content: this.t(c), styles: {} as Partial<Styles> }
        : { content: this.t(c.content), colSpan: c.colSpan, styles: c.styles ?? {} };
    const sections = [
      ['head', spec.head],
      ['body', spec.body],
      ['foot', spec.foot ?? []],
    ] as const;
    const rows = sections.flatMap(([section, list]) => list.map((row) => ({ section, cells: row.map(norm) })));
    const layoutRows: LayoutRow[] = rows.map((row) => ({
      section: row.section,
      cells: row.cells.map((c) => ({
        text: c.content,
        colSpan: c.colSpan ?? 1,
        bold: c.styles.fontStyle ? c.styles.fontStyle === 'bold' : row.section !== 'body',
        fontSize: c.styles.fontSize ?? fontSize,
      })),
    }));
    const preferred = spec.width ?? CONTENT_WIDTH;
    const fitted = layoutTable(
      spec.columns,
      layoutRows,
      { width: preferred, maxWidth: spec.maxWidth ?? preferred, paddingX: padding.left + padding.right },
      (text, size, bold) => this.measure(text, size, bold),
    );
    const halign = (i: number) => spec.columns[i]?.halign ?? (spec.columns[i]?.kind === 'money' ? 'right' : 'left');

    // Each cell carries its column's width, alignment, wrapping and (possibly shrunken) font size.
    const built = rows.map((row, r) => {
      let column = 0;
      return row.cells.map((c, k): CellInput => {
        const span = c.colSpan ?? 1;
        const kind = spec.columns[column]?.kind ?? 'text';
        const styles: Partial<Styles> = {
          ...(row.section === 'head' ? {} : { halign: span === 1 ? halign(column) : 'left' }),
          ...(span === 1 ? { cellWidth: fitted.widths[column] } : {}),
          // A head may wrap between its words (its column is at least as wide as the longest).
          overflow: span === 1 && kind !== 'text' && row.section !== 'head' ? keepLines : 'linebreak',
          ...c.styles,
          fontSize: fitted.fontSizes[r]![k]!,
        };
        column += span;
        return { content: c.content, ...(span > 1 ? { colSpan: span } : {}), styles };
      });
    });
    const part = (section: 'head' | 'body' | 'foot'): RowInput[] =>
      built.filter((_, r) => rows[r]!.section === section);
    const columnStyles: Record<number, Partial<Styles>> = {};
    fitted.widths.forEach((w, i) => (columnStyles[i] = { cellWidth: w }));
    const left = spec.align === 'right' ? PAGE.width - PAGE.marginX - fitted.width : PAGE.marginX;
    const options = {
      theme: plain ? ('plain' as const) : ('grid' as const),
      startY: this.y,
      tableWidth: fitted.width,
      margin: { left, right: PAGE.width - left - fitted.width, top: PAGE.marginTop, bottom: PAGE.marginBottom },
      head: part('head'),
      body: part('body'),
      foot: spec.foot ? part('foot') : [],
      showHead: 'everyPage' as const,
      showFoot: 'lastPage' as const,
      rowPageBreak: 'avoid' as const,
      styles: {
        font: FONT_FAMILY,
        fontStyle: 'normal' as const,
        fontSize,
        textColor: INK,
        lineColor: RULE,
        lineWidth: plain ? 0 : 0.2,
        cellPadding: padding,
        valign: 'middle' as const,
        overflow: 'linebreak' as const,
      },
      headStyles: {
        font: FONT_FAMILY,
        fontStyle: 'bold' as const,
        fillColor: plain ? (false as const) : HEAD_FILL,
        textColor: INK,
        halign: 'center' as const,
      },
      footStyles: {
        font: FONT_FAMILY,
        fontStyle: 'bold' as const,
        fillColor: plain ? (false as const) : TOTAL_FILL,
        textColor: INK,
      },
      columnStyles,
    };
    // The same drawing as autotable's, without its per-table work (table-draw.ts); autotable itself
    // for what that does not cover.
    let finalY = shortcuts.tables ? drawTable(this.doc, options as unknown as DrawTableInput) : null;
    if (finalY === null) {
      autoTable(this.doc, { ...options, foot: spec.foot ? options.foot : undefined });
      finalY = (this.doc as unknown as { lastAutoTable?: { finalY?: number } }).lastAutoTable?.finalY ?? this.y;
    }
    this.y = finalY + 4;
  }

  /** The next customer's document in the same file (a batch): a new page, its own words and numbering. */
  next(labels: PdfLabels, meta: PdfMeta): void {
    this.doc.addPage();
    this.y = PAGE.marginX;
    this.labels = labels;
    this.meta = meta;
    this.sections.push({ firstPage: this.doc.getNumberOfPages(), labels, meta, runningTitle: meta.subject });
  }

  /** The running title of the current customer's continuation pages. */
  runningTitle(title: string): void {
    this.sections[this.sections.length - 1]!.runningTitle = title;
  }

  /** Footers on every page and running heads on continuation pages; returns the file's bytes. */
  finish(runningTitle?: string): Uint8Array {
    if (runningTitle !== undefined) this.runningTitle(runningTitle);
    const total = this.doc.getNumberOfPages();
    this.sections.forEach((section, i) => {
      const last = (this.sections[i + 1]?.firstPage ?? total + 1) - 1;
      this.footers(section, last);
    });
    return new Uint8Array(this.doc.output('arraybuffer'));
  }

  private footers({ firstPage, labels, meta, runningTitle }: Section, lastPage: number): void {
    const { doc } = this;
    const pages = lastPage - firstPage + 1;
    const printed = fill(labels.printedAt, { date: almatyDateTime(meta.printedAt) });
    for (let n = 1; n <= pages; n++) {
      doc.setPage(firstPage + n - 1);
      if (n > 1) {
        this.text(fill(labels.continued, { title: runningTitle, account: meta.accountNumber }), PAGE.marginX, 9, {
          size: 8,
          muted: true,
          maxWidth: CONTENT_WIDTH,
        });
      }
      const footerY = PAGE.height - 11;
      doc.setDrawColor(...RULE);
      doc.setLineWidth(0.2);
      doc.line(PAGE.marginX, footerY - 1.5, PAGE.width - PAGE.marginX, footerY - 1.5);
      this.text(printed, PAGE.marginX, footerY, { size: 8, muted: true });
      this.text(fill(labels.page, { n, m: pages }), PAGE.width - PAGE.marginX, footerY, {
        size: 8,
        muted: true,
        align: 'right',
      });
    }
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
  if (parties.account.contractNumber)
    facts.push([labels.contract, fill(labels.contractNumber, { contract: parties.account.contractNumber })]);
  facts.push([
    labels.owner,
    parties.owner.bin ? `${parties.owner.name}, ${labels.bin} ${parties.owner.bin}` : parties.owner.name,
  ]);
  facts.push([labels.address, formatAddress(parties.address, labels.apartment, labels)]);
  return facts;
}
