// The page every statement is printed on: A4, the utility's requisites on top, the parties block,
// tables laid out from their content (layout.ts) that break across pages with their header
// repeated, and a footer «Стр. N из M» with the print date. Every string goes through the font's
// sanitizer before jsPDF sees it (see text.ts). This is the document and its cursor; the page's
// geometry, colours and file id are page.ts, the header and footers header.ts, the tables table.ts.
import { jsPDF } from 'jspdf';
import type { StatementParties } from '../schemas/statements';
import { FONT_FAMILY, registerFonts, tuneJsPdf, type PdfFonts } from './fonts';
import { dropStandardFonts, keptBySize, releaseDocument, type BySize } from './tuning';
import { drawFooters, drawHeader } from './header';
import type { PdfLabels } from './labels';
import { CONTENT_WIDTH, fileIdOf, INK, MUTED, PAGE, type PdfMeta, type Section } from './page';
import { placeTable, type TableSpec } from './table';

export { CONTENT_WIDTH, MUTED, PAGE, type PdfMeta } from './page';
export { partyFacts } from './header';
export type { TableCell, TableColumn, TableRow, TableSpec } from './table';

/** Text widths measured (mm), per set of fonts, by face (normal, bold), size and text. */
const widthsOf: [WeakMap<PdfFonts, BySize<number>>, WeakMap<PdfFonts, BySize<number>>] = [new WeakMap(), new WeakMap()];

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
    drawHeader(this, parties, title, subtitles);
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
    const known = keptBySize(widthsOf[bold ? 1 : 0], this.fonts, fontSize);
    let width = known.get(text);
    if (width === undefined) {
      this.doc.setFont(FONT_FAMILY, bold ? 'bold' : 'normal');
      this.doc.setFontSize(fontSize);
      known.set(text, (width = this.doc.getTextWidth(text)));
    }
    return width;
  }

  table(spec: TableSpec): void {
    placeTable(this, spec);
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
      drawFooters(this, section, last);
    });
    // Every character is drawn in the embedded face: the standard fonts stay out of the file.
    dropStandardFonts(this.doc);
    // jsPDF copies its file into bytes char by char; a host's native copy does the same faster.
    const bytes = this.fonts.bytes
      ? this.fonts.bytes(this.doc.output())
      : new Uint8Array(this.doc.output('arraybuffer'));
    // The document is done: its contents emptied, so the GC has little left to copy (tuning/document-lifetime.ts).
    releaseDocument(this.doc);
    return bytes;
  }
}
