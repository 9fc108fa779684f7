// A statement's table: its rows laid out from their content (layout.ts: column widths, a font size
// that shrinks rather than break a sum), each cell given its width, alignment and wrapping, then drawn
// across pages with its header repeated and its totals on the last page.
import { autoTable, type CellInput, type RowInput, type Styles } from 'jspdf-autotable';
import type { StatementPdf } from './document';
import { FONT_FAMILY } from './fonts';
import { shortcuts } from './tuning';
import { layoutTable, type ColumnSpec, type LayoutRow } from './layout';
import { CONTENT_WIDTH, HEAD_FILL, INK, PAGE, RULE, TOTAL_FILL } from './page';
import { drawTable, type DrawTableInput } from './table-draw';

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

/** Values in money and `nowrap` columns are drawn as they are: never wrapped, whatever happens. */
const keepLines = (text: string | string[]): string | string[] => text;

export function placeTable(pdf: StatementPdf, spec: TableSpec): void {
  const fontSize = spec.fontSize ?? 8.5;
  const padding = spec.padding ?? { top: 1.4, bottom: 1.4, left: 1.4, right: 1.4 };
  const plain = spec.theme === 'plain';
  // The rows as the layout reads them, and each cell's sanitized text and own styles (plain loops:
  // every document's tables come through here, cell by cell).
  interface Normal {
    content: string;
    colSpan: number;
    styles: Partial<Styles>;
  }
  const sections: ['head' | 'body' | 'foot', TableRow[]][] = [
    ['head', spec.head],
    ['body', spec.body],
    ['foot', spec.foot ?? []],
  ];
  const rows: { section: 'head' | 'body' | 'foot'; cells: Normal[] }[] = [];
  const layoutRows: LayoutRow[] = [];
  for (const [section, list] of sections)
    for (const row of list) {
      const cells: Normal[] = [];
      const layoutCells: LayoutRow['cells'] = [];
      for (const c of row) {
        const cell: Normal =
          typeof c === 'string'
            ? { content: pdf.t(c), colSpan: 1, styles: {} }
            : { content: pdf.t(c.content), colSpan: c.colSpan ?? 1, styles: c.styles ?? {} };
        cells.push(cell);
        layoutCells.push({
          text: cell.content,
          colSpan: cell.colSpan,
          bold: cell.styles.fontStyle ? cell.styles.fontStyle === 'bold' : section !== 'body',
          fontSize: cell.styles.fontSize ?? fontSize,
        });
      }
      rows.push({ section, cells });
      layoutRows.push({ section, cells: layoutCells });
    }
  const preferred = spec.width ?? CONTENT_WIDTH;
  const fitted = layoutTable(
    spec.columns,
    layoutRows,
    { width: preferred, maxWidth: spec.maxWidth ?? preferred, paddingX: padding.left + padding.right },
    (text, size, bold) => pdf.measure(text, size, bold),
  );
  const halign = (i: number) => spec.columns[i]?.halign ?? (spec.columns[i]?.kind === 'money' ? 'right' : 'left');

  // Each cell carries its column's width, alignment, wrapping and (possibly shrunken) font size.
  const parts: Record<'head' | 'body' | 'foot', RowInput[]> = { head: [], body: [], foot: [] };
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const sizes = fitted.fontSizes[r]!;
    const built: CellInput[] = [];
    let column = 0;
    for (let k = 0; k < row.cells.length; k++) {
      const c = row.cells[k]!;
      const span = c.colSpan;
      const kind = spec.columns[column]?.kind ?? 'text';
      const styles: Partial<Styles> = {};
      if (row.section !== 'head') styles.halign = span === 1 ? halign(column) : 'left';
      if (span === 1) styles.cellWidth = fitted.widths[column];
      // A head may wrap between its words (its column is at least as wide as the longest).
      styles.overflow = span === 1 && kind !== 'text' && row.section !== 'head' ? keepLines : 'linebreak';
      Object.assign(styles, c.styles);
      styles.fontSize = sizes[k]!;
      column += span;
      built.push(span > 1 ? { content: c.content, colSpan: span, styles } : { content: c.content, styles });
    }
    parts[row.section].push(built);
  }
  const columnStyles: Record<number, Partial<Styles>> = {};
  for (let i = 0; i < fitted.widths.length; i++) columnStyles[i] = { cellWidth: fitted.widths[i] };
  const left = spec.align === 'right' ? PAGE.width - PAGE.marginX - fitted.width : PAGE.marginX;
  const options = {
    theme: plain ? ('plain' as const) : ('grid' as const),
    startY: pdf.y,
    tableWidth: fitted.width,
    margin: { left, right: PAGE.width - left - fitted.width, top: PAGE.marginTop, bottom: PAGE.marginBottom },
    head: parts.head,
    body: parts.body,
    foot: spec.foot ? parts.foot : [],
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
  let finalY = shortcuts.tables ? drawTable(pdf.doc, options as unknown as DrawTableInput) : null;
  if (finalY === null) {
    autoTable(pdf.doc, { ...options, foot: spec.foot ? options.foot : undefined });
    finalY = (pdf.doc as unknown as { lastAutoTable?: { finalY?: number } }).lastAutoTable?.finalY ?? pdf.y;
  }
  pdf.y = finalY + 4;
}
