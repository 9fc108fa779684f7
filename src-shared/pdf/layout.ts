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

const words = (text: string): string[] => text.split(/[ \n]+/).filter((w) => w !== '');

interface Placed {
  row: number;
  cell: number;
  column: number;
  span: number;
  item: LayoutCell;
}

function place(rows: LayoutRow[]): Placed[] {
  const out: Placed[] = [];
  rows.forEach((row, r) => {
    let column = 0;
    row.cells.forEach((item, c) => {
      const span = Math.max(1, item.colSpan);
      out.push({ row: r, cell: c, column, span, item });
      column += span;
    });
  });
  return out;
}

export function layoutTable(
  columns: ColumnSpec[],
  rows: LayoutRow[],
  options: { width: number; maxWidth?: number; paddingX: number },
  measureText: Measure,
): LayoutResult {
  const n = columns.length;
  const measure = measureText;
  const placed = place(rows);
  const pad = options.paddingX + SLACK;
  const single = (i: number) => placed.filter((p) => p.span === 1 && p.column === i);
  // The widest word and line of a cell at its own size, measured once each (asked several times).
  const widestWord = (text: string, fontSize: number, bold: boolean) => {
    let widest = 0;
    for (const w of words(text)) widest = Math.max(widest, measure(w, fontSize, bold));
    return widest;
  };
  const wordOf = new Map<Placed, number>();
  const longestWord = (p: Placed) => {
    let width = wordOf.get(p);
    if (width === undefined) wordOf.set(p, (width = widestWord(p.item.text, p.item.fontSize, p.item.bold)));
    return width;
  };
  const lineOf = new Map<Placed, number>();
  const longestLine = (p: Placed) => {
    let width = lineOf.get(p);
    if (width === undefined) {
      width = 0;
      for (const line of p.item.text.split('\n')) width = Math.max(width, measure(line, p.item.fontSize, p.item.bold));
      lineOf.set(p, width);
    }
    return width;
  };

  // What each column needs at the given font sizes.
  const need = columns.map((spec, i) => {
    const cells = single(i);
    if (spec.kind === 'text') {
      return {
        min: Math.max(spec.minWidth ?? 0, Math.max(0, ...cells.map(longestWord)) + pad),
        pref: Math.max(spec.minWidth ?? 0, Math.max(0, ...cells.map(longestLine)) + pad),
      };
    }
    // A head may wrap between its words (preferably not); values may not wrap at all.
    const isHead = (p: Placed) => rows[p.row]!.section === 'head';
    const widest = Math.max(
      0,
      ...cells.map((p) => (p.item.text === '' ? 0 : (isHead(p) ? longestWord(p) : longestLine(p)) + pad)),
    );
    const head = Math.max(0, ...cells.filter(isHead).map((p) => longestLine(p) + pad));
    return { min: Math.max(spec.minWidth ?? 0, widest), pref: Math.max(spec.minWidth ?? 0, widest, head) };
  });

  const maxWidth = Math.max(options.width, options.maxWidth ?? options.width);
  const textCols = columns.map((c, i) => (c.kind === 'text' ? i : -1)).filter((i) => i >= 0);
  const fixedCols = columns.map((c, i) => (c.kind === 'text' ? -1 : i)).filter((i) => i >= 0);
  const textMin = (i: number) => Math.min(need[i]!.min, Math.max(pad + 5, maxWidth * TEXT_MIN_SHARE));
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const fixedTotal = sum(fixedCols.map((i) => need[i]!.min));
  const textMinTotal = sum(textCols.map(textMin));
  // Grow the table from its preferred width up to the maximum before anything shrinks.
  const width = Math.min(maxWidth, Math.max(options.width, fixedTotal + textMinTotal));
  const widths = new Array<number>(n).fill(0);
  const factor = new Array<number>(n).fill(1);

  if (fixedTotal + textMinTotal <= width) {
    for (const i of fixedCols) widths[i] = need[i]!.min;
    for (const i of textCols) widths[i] = textMin(i);
    let left = width - sum(widths);
    // First up to what the text would like (its longest line), then the heads of the other columns
    // on one line, each in proportion to what it lacks...
    for (const group of [textCols, fixedCols]) {
      const lack = group.map((i) => Math.max(0, need[i]!.pref - widths[i]!));
      const lacking = sum(lack);
      if (lacking > 0 && left > 0) {
        const share = Math.min(1, left / lacking);
        group.forEach((i, k) => (widths[i] = widths[i]! + lack[k]! * share));
        left -= lacking * share;
      }
    }
    // ...then what nobody needs, to the text columns by their weights (or to every column).
    if (left > 1e-9) {
      const takers = textCols.length > 0 ? textCols : columns.map((_, i) => i);
      const weights = takers.map((i) => (columns[i]!.kind === 'text' ? (columns[i]!.grow ?? 1) : need[i]!.min || 1));
      const total = sum(weights);
      takers.forEach((i, k) => (widths[i] = widths[i]! + (left * weights[k]!) / total));
    }
  } else {
    // Too wide even at the maximum: text columns at their minimum, the widest fixed columns capped at
    // the one level X that makes everything fit, their font shrunk by as much as their content must.
    for (const i of textCols) widths[i] = textMin(i);
    const budget = width - sum(textCols.map((i) => widths[i]!));
    const mins = fixedCols.map((i) => need[i]!.min);
    let lo = 0;
    let hi = Math.max(0, ...mins);
    for (let step = 0; step < 40; step++) {
      const mid = (lo + hi) / 2;
      if (sum(mins.map((m) => Math.min(m, mid))) > budget) hi = mid;
      else lo = mid;
    }
    fixedCols.forEach((i, k) => {
      const m = mins[k]!;
      if (m <= lo + 1e-6) widths[i] = m;
      else {
        widths[i] = lo;
        factor[i] = Math.max(0, (lo - pad) / Math.max(1e-6, m - pad));
      }
    });
    // Whatever the bisection left over goes to the text columns.
    const left = width - sum(widths);
    if (left > 1e-9 && textCols.length > 0) textCols.forEach((i) => (widths[i] = widths[i]! + left / textCols.length));
  }

  // Font sizes: a shrunken column's cells, and any text cell whose longest word is wider than its room.
  const fontSizes = rows.map((row) => row.cells.map((cell) => cell.fontSize));
  for (const p of placed) {
    const base = p.item.fontSize;
    if (p.span === 1 && factor[p.column]! < 1)
      fontSizes[p.row]![p.cell] = Math.max(MIN_FONT_SIZE, base * factor[p.column]!);
    const room = sum(widths.slice(p.column, p.column + p.span)) - pad;
    const size = fontSizes[p.row]![p.cell]!;
    const word = size === base ? longestWord(p) : widestWord(p.item.text, size, p.item.bold);
    if (word > room + 1e-6 && room > 0) fontSizes[p.row]![p.cell] = Math.max(MIN_FONT_SIZE, (size * room) / word);
  }
  return { widths, width, fontSizes };
}
