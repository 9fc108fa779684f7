// Column widths from what the columns hold. A sum of money (or a date, a volume) is never wrapped:
// its column is as wide as its widest value and its head's longest word; when those columns together
// cannot fit beside the text columns' longest words, the widest of them shrink their font until they
// do. Text columns (names, operations) share what is left and wrap at spaces only: a cell whose
// longest word is still wider than its column gets a smaller font rather than a word cut in two.
// Pure: the caller measures text (jsPDF's metrics of the embedded font), so this is testable alone.

export type ColumnKind = 'text' | 'nowrap' | 'money';

export interface ColumnSpec {
  kind: ColumnKind;
  /** the narrowest the column may be, mm (blank columns the counterparty fills in by hand) */
  minWidth?: number;
  /** a text column's share of width nobody's content needs (default 1) */
  grow?: number;
}

export interface LayoutCell {
  /** already sanitized; '\n' starts a new line */
  text: string;
  colSpan: number;
  bold: boolean;
  fontSize: number;
}

export interface LayoutRow {
  section: 'head' | 'body' | 'foot';
  cells: LayoutCell[];
}

/** Width in mm of `text` on one line in the embedded font. */
export type Measure = (text: string, fontSize: number, bold: boolean) => number;

export interface LayoutResult {
  /** mm per column, summing to the table's width */
  widths: number[];
  /** the table's width in mm (≥ the preferred width when the content needs it, ≤ the maximum) */
  width: number;
  /** the font size each cell is drawn at, by row and cell index (the given size unless it had to shrink) */
  fontSizes: number[][];
}

/** Below this a shrunken font stops shrinking (a word that still does not fit is broken by jsPDF). */
export const MIN_FONT_SIZE = 5;
/** jsPDF's own wrapping rounds: a little slack keeps a value that fits exactly from wrapping. */
const SLACK = 0.4;
/** A text column's minimum never exceeds this share of the table (a longer word shrinks its cell). */
const TEXT_MIN_SHARE = 0.45;

/** A cell where the layout found it, with its widest word and line once measured (−1: not yet). */
class Placed {
  word = -1;
  line = -1;
  constructor(
    readonly row: number,
    readonly cell: number,
    readonly column: number,
    readonly span: number,
    readonly item: LayoutCell,
  ) {}
}

/** The widest of the words of `text` (separated by spaces and newlines) at a size. */
function widestWord(text: string, fontSize: number, bold: boolean, measure: Measure): number {
  let widest = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 32 || c === 10) {
      if (start >= 0) widest = Math.max(widest, measure(text.slice(start, i), fontSize, bold));
      start = -1;
    } else if (start < 0) start = i;
  }
  return widest;
}

function longestWord(p: Placed, measure: Measure): number {
  if (p.word < 0) p.word = widestWord(p.item.text, p.item.fontSize, p.item.bold, measure);
  return p.word;
}

function longestLine(p: Placed, measure: Measure): number {
  if (p.line < 0) {
    const { text, fontSize, bold } = p.item;
    let width = 0;
    if (text.indexOf('\n') < 0) width = Math.max(width, measure(text, fontSize, bold));
    else for (const line of text.split('\n')) width = Math.max(width, measure(line, fontSize, bold));
    p.line = width;
  }
  return p.line;
}

/** Σ list[i] for the indices given (in their order), or for every index. */
function sumOf(list: readonly number[], indices?: readonly number[]): number {
  let total = 0;
  if (indices) for (let k = 0; k < indices.length; k++) total += list[indices[k]!]!;
  else for (let i = 0; i < list.length; i++) total += list[i]!;
  return total;
}

// Written as plain loops over arrays of one kind (no map/filter/spread chains, no closures per
// table): every document lays out its tables here, and code that keeps its shapes is optimized once.
export function layoutTable(
  columns: ColumnSpec[],
  rows: LayoutRow[],
  options: { width: number; maxWidth?: number; paddingX: number },
  measure: Measure,
): LayoutResult {
  const n = columns.length;
  const pad = options.paddingX + SLACK;
  const placed: Placed[] = [];
  // The cells that span one column, by column.
  const single: Placed[][] = [];
  for (let i = 0; i < n; i++) single.push([]);
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r]!.cells;
    let column = 0;
    for (let c = 0; c < cells.length; c++) {
      const item = cells[c]!;
      const span = Math.max(1, item.colSpan);
      const p = new Placed(r, c, column, span, item);
      placed.push(p);
      if (span === 1 && column < n) single[column]!.push(p);
      column += span;
    }
  }

  // What each column needs at the given font sizes.
  const needMin: number[] = [];
  const needPref: number[] = [];
  for (let i = 0; i < n; i++) {
    const spec = columns[i]!;
    const cells = single[i]!;
    const least = spec.minWidth ?? 0;
    if (spec.kind === 'text') {
      let word = 0;
      let line = 0;
      for (const p of cells) word = Math.max(word, longestWord(p, measure));
      for (const p of cells) line = Math.max(line, longestLine(p, measure));
      needMin.push(Math.max(least, word + pad));
      needPref.push(Math.max(least, line + pad));
      continue;
    }
    // A head may wrap between its words (preferably not); values may not wrap at all.
    let widest = 0;
    let head = 0;
    for (const p of cells) {
      const isHead = rows[p.row]!.section === 'head';
      if (p.item.text !== '')
        widest = Math.max(widest, (isHead ? longestWord(p, measure) : longestLine(p, measure)) + pad);
    }
    for (const p of cells) if (rows[p.row]!.section === 'head') head = Math.max(head, longestLine(p, measure) + pad);
    needMin.push(Math.max(least, widest));
    needPref.push(Math.max(least, widest, head));
  }

  const maxWidth = Math.max(options.width, options.maxWidth ?? options.width);
  const textCols: number[] = [];
  const fixedCols: number[] = [];
  for (let i = 0; i < n; i++) (columns[i]!.kind === 'text' ? textCols : fixedCols).push(i);
  const textCap = Math.max(pad + 5, maxWidth * TEXT_MIN_SHARE);
  const textMin = (i: number) => Math.min(needMin[i]!, textCap);
  const fixedTotal = sumOf(needMin, fixedCols);
  let textMinTotal = 0;
  for (const i of textCols) textMinTotal += textMin(i);
  // Grow the table from its preferred width up to the maximum before anything shrinks.
  const width = Math.min(maxWidth, Math.max(options.width, fixedTotal + textMinTotal));
  const widths = new Array<number>(n).fill(0);
  const factor = new Array<number>(n).fill(1);

  if (fixedTotal + textMinTotal <= width) {
    for (const i of fixedCols) widths[i] = needMin[i]!;
    for (const i of textCols) widths[i] = textMin(i);
    let left = width - sumOf(widths);
    // First up to what the text would like (its longest line), then the heads of the other columns
    // on one line, each in proportion to what it lacks...
    for (const group of [textCols, fixedCols]) {
      const lack: number[] = [];
      for (const i of group) lack.push(Math.max(0, needPref[i]! - widths[i]!));
      const lacking = sumOf(lack);
      if (lacking > 0 && left > 0) {
        const share = Math.min(1, left / lacking);
        for (let k = 0; k < group.length; k++) widths[group[k]!] = widths[group[k]!]! + lack[k]! * share;
        left -= lacking * share;
      }
    }
    // ...then what nobody needs, to the text columns by their weights (or to every column).
    if (left > 1e-9) {
      const takers = textCols.length > 0 ? textCols : fixedCols; // (no text: every column, in order)
      const weights: number[] = [];
      for (const i of takers) weights.push(columns[i]!.kind === 'text' ? (columns[i]!.grow ?? 1) : needMin[i]! || 1);
      const total = sumOf(weights);
      for (let k = 0; k < takers.length; k++) widths[takers[k]!] = widths[takers[k]!]! + (left * weights[k]!) / total;
    }
  } else {
    // Too wide even at the maximum: text columns at their minimum, the widest fixed columns capped at
    // the one level X that makes everything fit, their font shrunk by as much as their content must.
    for (const i of textCols) widths[i] = textMin(i);
    const budget = width - sumOf(widths, textCols);
    const mins: number[] = [];
    for (const i of fixedCols) mins.push(needMin[i]!);
    let lo = 0;
    let hi = 0;
    for (const m of mins) hi = Math.max(hi, m);
    for (let step = 0; step < 40; step++) {
      const mid = (lo + hi) / 2;
      let total = 0;
      for (const m of mins) total += Math.min(m, mid);
      if (total > budget) hi = mid;
      else lo = mid;
    }
    for (let k = 0; k < fixedCols.length; k++) {
      const i = fixedCols[k]!;
      const m = mins[k]!;
      if (m <= lo + 1e-6) widths[i] = m;
      else {
        widths[i] = lo;
        factor[i] = Math.max(0, (lo - pad) / Math.max(1e-6, m - pad));
      }
    }
    // Whatever the bisection left over goes to the text columns.
    const left = width - sumOf(widths);
    if (left > 1e-9 && textCols.length > 0) for (const i of textCols) widths[i] = widths[i]! + left / textCols.length;
  }

  // Font sizes: a shrunken column's cells, and any text cell whose longest word is wider than its room.
  const fontSizes: number[][] = [];
  for (const row of rows) {
    const sizes: number[] = [];
    for (const cell of row.cells) sizes.push(cell.fontSize);
    fontSizes.push(sizes);
  }
  for (const p of placed) {
    const sizes = fontSizes[p.row]!;
    const base = p.item.fontSize;
    if (p.span === 1 && factor[p.column]! < 1) sizes[p.cell] = Math.max(MIN_FONT_SIZE, base * factor[p.column]!);
    let room = 0;
    for (let k = p.column; k < Math.min(n, p.column + p.span); k++) room += widths[k]!;
    room -= pad;
    const size = sizes[p.cell]!;
    const word = size === base ? longestWord(p, measure) : widestWord(p.item.text, size, p.item.bold, measure);
    if (word > room + 1e-6 && room > 0) sizes[p.cell] = Math.max(MIN_FONT_SIZE, (size * room) / word);
  }
  return { widths, width, fontSizes };
}
