// One file past 300 lines (#18) on purpose: it mirrors autotable's drawing of one table as one unit, and
// splitting it would separate the page-break logic from the drawing it must match call by call.
//
// The statements' tables drawn the way jspdf-autotable draws them, without its per-table machinery.
//
// autotable, for every table, builds a style object per cell by merging six layers, measures every
// cell's text whole and word by word to size columns (ours come sized from layout.ts, so that work
// is thrown away), runs hooks nobody registered, and only then draws. This module draws a table
// with the same jsPDF calls in the same order, with the same numbers — the same colour, line-width
// and fill operators (redundant ones included), the same rectangles, the same text positions and
// wrapping (jsPDF's own splitTextToSize) and the same page breaks with the head repeated — so the
// PDF's bytes do not change (the PDF tests compare bytes with autotable's). It covers what
// StatementPdf.table asks for: fixed column widths, colSpan, 'grid' and 'plain' themes, valign
// middle, halign, 'linebreak' or kept lines, showHead everyPage, showFoot lastPage, rowPageBreak
// avoid, no hooks. A table it does not cover — a row taller than a page (autotable splits it), a
// column with no width given — is handed to autotable itself (`drawTable` returns null).
import type { jsPDF } from 'jspdf';

type Color = number | string | number[] | false | undefined;
type Spacing = number | number[] | { top?: number; right?: number; bottom?: number; left?: number };

export interface DrawStyles {
  font?: string;
  fontStyle?: string;
  fontSize?: number;
  fillColor?: Color;
  textColor?: Color;
  lineColor?: Color;
  lineWidth?: number;
  cellPadding?: Spacing;
  halign?: 'left' | 'center' | 'right';
  valign?: 'top' | 'middle' | 'bottom';
  /** 'linebreak' wraps to the cell; a function gives the lines as they are (StatementPdf's keepLines) */
  overflow?: 'linebreak' | ((text: string[], width: number) => string | string[]);
  cellWidth?: number | 'auto';
  minCellHeight?: number;
  [key: string]: unknown;
}

export interface DrawCellInput {
  content: string;
  colSpan?: number;
  styles?: Partial<DrawStyles>;
}

export interface DrawTableInput {
  theme: 'grid' | 'plain';
  startY: number;
  tableWidth: number;
  margin: { left: number; right: number; top: number; bottom: number };
  head: DrawCellInput[][];
  body: DrawCellInput[][];
  foot: DrawCellInput[][];
  styles: Partial<DrawStyles>;
  headStyles: Partial<DrawStyles>;
  footStyles: Partial<DrawStyles>;
  columnStyles: Record<number, Partial<DrawStyles>>;
}

type Section = 'head' | 'body' | 'foot';
const NEWLINES = /[\r\n]/;

interface Cell {
  styles: DrawStyles;
  text: string[];
  colSpan: number;
  width: number;
  height: number;
  padding: { top: number; right: number; bottom: number; left: number };
}
interface Row {
  section: Section;
  /** by column index; a column a colSpan covers has none */
  cells: (Cell | undefined)[];
  height: number;
}

// autotable's defaults and themes (jspdf-autotable 5, src/config.ts), the layers under our styles.
const TEXT_OPTIONS = {
  isInputVisual: false,
  isOutputVisual: undefined,
  isInputRtl: false,
  isOutputRtl: undefined,
  isSymmetricSwapping: false,
};
const defaults = (scaleFactor: number): DrawStyles => ({
  font: 'helvetica',
  fontStyle: 'normal',
  overflow: 'linebreak',
  fillColor: false,
  textColor: 20,
  halign: 'left',
  valign: 'top',
  fontSize: 10,
  cellPadding: 5 / scaleFactor,
  lineColor: 200,
  lineWidth: 0,
  cellWidth: 'auto',
  minCellHeight: 0,
  minCellWidth: 0,
  textOptions: TEXT_OPTIONS,
});
const THEMES: Record<'grid' | 'plain', Record<'table' | Section, Partial<DrawStyles>>> = {
  grid: {
    table: { fillColor: 255, textColor: 80, fontStyle: 'normal', lineWidth: 0.1 },
    head: { textColor: 255, fillColor: [26, 188, 156], fontStyle: 'bold', lineWidth: 0 },
    body: {},
    foot: { textColor: 255, fillColor: [26, 188, 156], fontStyle: 'bold', lineWidth: 0 },
  },
  plain: { table: {}, head: { fontStyle: 'bold' }, body: {}, foot: { fontStyle: 'bold' } },
};

function unifyColor(c: Color): (number | string)[] | null {
  if (Array.isArray(c)) return c;
  if (typeof c === 'number') return [c, c, c];
  if (typeof c === 'string') return [c];
  return null;
}

function parseSpacing(value: Spacing | undefined, fallback: number) {
  let v: Spacing = value || fallback;
  if (Array.isArray(v)) {
    if (v.length >= 4) return { top: v[0]!, right: v[1]!, bottom: v[2]!, left: v[3]! };
    if (v.length === 3) return { top: v[0]!, right: v[1]!, bottom: v[2]!, left: v[1]! };
    if (v.length === 2) return { top: v[0]!, right: v[1]!, bottom: v[0]!, left: v[1]! };
    v = v.length === 1 ? v[0]! : fallback;
  }
  if (typeof v === 'object') {
    const o = v as {
      top?: number;
      right?: number;
      bottom?: number;
      left?: number;
      vertical?: number;
      horizontal?: number;
    };
    const top = typeof o.vertical === 'number' ? o.vertical : o.top;
    const bottom = typeof o.vertical === 'number' ? o.vertical : o.bottom;
    const right = typeof o.horizontal === 'number' ? o.horizontal : o.right;
    const left = typeof o.horizontal === 'number' ? o.horizontal : o.left;
    return { left: left ?? fallback, top: top ?? fallback, right: right ?? fallback, bottom: bottom ?? fallback };
  }
  const n = typeof v === 'number' ? v : fallback;
  return { top: n, right: n, bottom: n, left: n };
}

interface Doc {
  internal: {
    scaleFactor: number;
    getFont(): { fontName: string; fontStyle: string };
    getFontSize(): number;
    getNumberOfPages(): number;
    getCurrentPageInfo(): { pageNumber: number };
    pageSize: { getHeight(): number };
  };
  setFontStyle?: (style: string) => void;
  getFontList(): Record<string, string[]>;
  setFont(name: string, style: string): void;
  setFontSize(size: number): void;
  setFillColor(...c: (number | string)[]): void;
  setTextColor(...c: (number | string)[]): void;
  setDrawColor(...c: (number | string)[]): void;
  setLineWidth(w: number): void;
  getTextColor(): string;
  getDrawColor(): string;
  getLineWidth(): number;
  getFillColor(): string;
  getLineHeightFactor(): number;
  getStringUnitWidth(text: string): number;
  splitTextToSize(text: string[], size: number, options: { fontSize?: number }): string[];
  rect(x: number, y: number, w: number, h: number, style: string): void;
  text(text: string | string[], x: number, y: number, options: object): void;
  setPage(n: number): void;
  addPage(): void;
}

/** DocHandler.applyStyles: font (fontOnly) or every style, through the same setters. */
function applyStyles(doc: Doc, styles: Partial<DrawStyles>, fontOnly = false): void {
  if (styles.fontStyle && doc.setFontStyle) doc.setFontStyle(styles.fontStyle);
  let fontName = styles.font;
  let fontStyle = styles.fontStyle;
  if (fontName === undefined || !fontStyle) {
    const current = doc.internal.getFont();
    fontName ??= current.fontName;
    if (!fontStyle) fontStyle = current.fontStyle;
  }
  if (styles.fontStyle) {
    const available = doc.getFontList()[fontName];
    if (available && available.indexOf(fontStyle) === -1 && doc.setFontStyle) {
      doc.setFontStyle(available[0]!);
      fontStyle = available[0]!;
    }
  }
  doc.setFont(fontName, fontStyle);
  if (styles.fontSize) doc.setFontSize(styles.fontSize);
  if (fontOnly) return;
  let color = unifyColor(styles.fillColor);
  if (color) doc.setFillColor(...color);
  color = unifyColor(styles.textColor);
  if (color) doc.setTextColor(...color);
  color = unifyColor(styles.lineColor);
  if (color) doc.setDrawColor(...color);
  if (typeof styles.lineWidth === 'number') doc.setLineWidth(styles.lineWidth);
}

function fillStyle(lineWidth: number, fillColor: Color): string | null {
  const line = lineWidth > 0;
  const background = fillColor || fillColor === 0;
  if (line && background) return 'DF';
  if (line) return 'S';
  if (background) return 'F';
  return null;
}

/** The source's own styles over the target's (autotable's assign). */
const own = (target: DrawStyles, source: Partial<DrawStyles> | undefined): DrawStyles =>
  source ? Object.assign(target, source) : target;

/**
 * Draws the table as autotable would and returns where it ended (autotable's `finalY`), or null,
 * having drawn nothing, when the table needs what only autotable does.
 */
export function drawTable(jspdf: jsPDF, input: DrawTableInput): number | null {
  const doc = jspdf as unknown as Doc;
  const sf = doc.internal.scaleFactor;
  const theme = THEMES[input.theme];
  const first = input.head[0] ?? input.body[0] ?? input.foot[0] ?? [];
  let columnCount = 0;
  for (const c of first) columnCount += c.colSpan || 1;

  // parseSection/cellStyles: the layers merged once per section, the column's and the cell's on top.
  const under = (section: Section) => {
    const styles = own({}, theme.table);
    own(styles, theme[section]);
    own(styles, input.styles);
    own(styles, section === 'head' ? input.headStyles : section === 'foot' ? input.footStyles : undefined);
    return own(defaults(sf), styles);
  };
  const bases = { head: under('head'), body: under('body'), foot: under('foot') };
  const widthGiven = new Array<boolean>(columnCount).fill(false);
  let unsupported = false;
  let paddingOf: Spacing | undefined | null = null;
  let padding = parseSpacing(undefined, 0);
  const parse = (section: Section, list: DrawCellInput[][]): Row[] => {
    const rows: Row[] = [];
    for (const raw of list) {
      const cells: (Cell | undefined)[] = new Array(columnCount);
      let spansLeft = 0;
      let spansAdded = 0;
      for (let c = 0; c < columnCount; c++) {
        if (spansLeft > 0) {
          spansLeft--;
          spansAdded++;
          continue;
        }
        const item = raw[c - spansAdded];
        const styles = own({ ...bases[section] }, section === 'body' ? input.columnStyles[c] : undefined);
        own(styles, item?.styles);
        if (styles.overflow !== 'linebreak' && typeof styles.overflow !== 'function') unsupported = true;
        if (typeof styles.cellWidth === 'number') widthGiven[c] = true;
        const colSpan = item?.colSpan || 1;
        const content = item?.content;
        const text = content != null ? `${content}` : '';
        // A table's cells share their padding object: read once (never changed after).
        if (styles.cellPadding !== paddingOf) {
          paddingOf = styles.cellPadding;
          padding = parseSpacing(paddingOf, 0);
        }
        cells[c] = {
          styles,
          text: NEWLINES.test(text) ? text.split(/\r\n|\r|\n/g) : [text],
          colSpan,
          width: 0,
          height: 0,
          padding,
        };
        spansLeft = colSpan - 1;
      }
      rows.push({ section, cells, height: 0 });
    }
    return rows;
  };
  const head = parse('head', input.head);
  const body = parse('body', input.body);
  const foot = parse('foot', input.foot);
  if (unsupported || widthGiven.includes(false)) return null;
  const all = head.concat(body, foot);

  // Column widths: each the widest width given to a cell of it (getMaxCustomCellWidth).
  const widths = new Array<number>(columnCount).fill(0);
  for (const row of all)
    for (let c = 0; c < row.cells.length; c++) {
      const cell = row.cells[c];
      if (cell && typeof cell.styles.cellWidth === 'number') widths[c] = Math.max(widths[c]!, cell.styles.cellWidth);
    }
  for (const w of widths) if (!(w > 0)) return null;

  // The document's styles as they were before the table (autotable's userStyles), restored after.
  const user: Partial<DrawStyles> = {
    textColor: doc.getTextColor(),
    fontSize: doc.internal.getFontSize(),
    fontStyle: doc.internal.getFont().fontStyle,
    font: doc.internal.getFont().fontName,
    lineWidth: doc.getLineWidth(),
    lineColor: doc.getDrawColor(),
  };

  // applyColSpans, fitContent: widths, wrapped lines, row heights.
  const lineHeightFactor = doc.getLineHeightFactor();
  for (const row of all) {
    for (let c = 0; c < columnCount; c++) {
      const cell = row.cells[c];
      if (!cell) continue;
      let width = 0;
      for (let k = c; k < Math.min(columnCount, c + cell.colSpan); k++) width += widths[k]!;
      cell.width = width;
      for (let k = c + 1; k < Math.min(columnCount, c + cell.colSpan); k++) row.cells[k] = undefined;
      applyStyles(doc, cell.styles, true);
      const space = cell.width - cell.padding.left - cell.padding.right;
      const { overflow } = cell.styles;
      if (overflow === 'linebreak')
        cell.text = doc.splitTextToSize(cell.text, space + 1 / sf, { fontSize: cell.styles.fontSize });
      else if (typeof overflow === 'function') {
        const result = overflow(cell.text, space);
        cell.text = typeof result === 'string' ? [result] : result;
      }
      const lines = cell.text.length;
      const content =
        lines * ((cell.styles.fontSize! / sf) * lineHeightFactor) + cell.padding.top + cell.padding.bottom;
      row.height = Math.max(row.height, Math.max(content, cell.styles.minCellHeight ?? 0));
    }
    for (const cell of row.cells) if (cell) cell.height = row.height;
  }

  const pageHeight = doc.internal.pageSize.getHeight();
  const { margin } = input;
  let headHeight = 0;
  for (const r of head) headHeight += r.height;
  let footHeight = 0;
  for (const r of foot) footHeight += r.height;
  // A body row taller than a page is split across pages by autotable; that is left to it.
  const maxRowHeight = pageHeight - margin.top - margin.bottom - headHeight - footHeight;
  for (const row of body) {
    let minimum = 0;
    for (const cell of row.cells)
      if (cell)
        minimum = Math.max(
          minimum,
          cell.padding.top + cell.padding.bottom + (cell.styles.fontSize! / sf) * lineHeightFactor,
        );
    if (row.height > maxRowHeight || minimum > maxRowHeight) {
      // Only the font was changed (measuring writes nothing): as it was, for autotable to start from.
      doc.setFont(user.font!, user.fontStyle!);
      doc.setFontSize(user.fontSize!);
      return null;
    }
  }

  applyStyles(doc, user); // the end of autotable's createTable
  const cursor = { x: margin.left, y: input.startY };
  const pageNumber = () => doc.internal.getCurrentPageInfo().pageNumber;
  const nextPage = () => {
    const current = pageNumber();
    doc.setPage(current + 1);
    if (pageNumber() === current) doc.addPage();
  };
  const printRow = (row: Row) => {
    cursor.x = margin.left;
    for (let c = 0; c < columnCount; c++) {
      const cell = row.cells[c];
      if (cell) {
        const { styles, padding } = cell;
        applyStyles(doc, styles);
        const x = cursor.x;
        const y = cursor.y;
        doc.setFillColor(doc.getFillColor());
        if (typeof styles.lineWidth === 'number') {
          const style = fillStyle(styles.lineWidth, styles.fillColor);
          if (style) doc.rect(x, y, cell.width, cell.height, style);
        }
        // Cell.getTextPos, then autoTableText.
        let textY =
          styles.valign === 'top'
            ? y + padding.top
            : styles.valign === 'bottom'
              ? y + cell.height - padding.bottom
              : y + (cell.height - padding.top - padding.bottom) / 2 + padding.top;
        const textX =
          styles.halign === 'right'
            ? x + cell.width - padding.right
            : styles.halign === 'center'
              ? x + (cell.width - padding.left - padding.right) / 2 + padding.left
              : x + padding.left;
        const fontSize = doc.internal.getFontSize() / sf;
        const lineHeight = fontSize * lineHeightFactor;
        const lines = cell.text;
        const lineCount = lines.length || 1;
        textY += fontSize * (2 - 1.15);
        if (styles.valign === 'middle') textY -= (lineCount / 2) * lineHeight;
        else if (styles.valign === 'bottom') textY -= lineCount * lineHeight;
        if (styles.halign === 'center' || styles.halign === 'right') {
          const alignSize = styles.halign === 'center' ? fontSize * 0.5 : fontSize;
          for (const line of lines) {
            doc.text(line, textX - doc.getStringUnitWidth(line) * alignSize, textY, styles['textOptions'] as object);
            textY += lineHeight;
          }
        } else doc.text(lines, textX, textY, styles['textOptions'] as object);
      }
      cursor.x += widths[c]!;
    }
    cursor.y += row.height;
  };
  const border = () => applyStyles(doc, { lineWidth: 0, lineColor: 200 });

  if (input.startY + margin.bottom + headHeight + footHeight > pageHeight) {
    nextPage();
    cursor.y = margin.top;
  }
  applyStyles(doc, user);
  for (const row of head) printRow(row);
  applyStyles(doc, user);
  for (let index = 0; index < body.length; index++) {
    const row = body[index]!;
    const last = index === body.length - 1;
    const remaining = pageHeight - cursor.y - (margin.bottom + (last ? footHeight : 0));
    if (row.height > remaining) {
      // addPage: the page's end (hooks: none), the table's border (none: width 0), a new page, the
      // head again.
      applyStyles(doc, user);
      applyStyles(doc, user); // callEndPageHooks
      border();
      nextPage();
      cursor.x = margin.left;
      cursor.y = margin.top;
      for (const h of head) printRow(h);
      applyStyles(doc, user);
    }
    printRow(row);
  }
  applyStyles(doc, user);
  for (const row of foot) printRow(row);
  border();
  applyStyles(doc, user); // callEndPageHooks
  const finalY = cursor.y;
  applyStyles(doc, user);
  return finalY;
}
