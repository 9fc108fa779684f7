// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 6. Text widths and wrapping (getStringUnitWidth, splitTextToSize), kept per parsed font.
import { jsPDF } from 'jspdf';

interface MeasuredFont {
  metadata?: { widthOfString?: unknown; hmtx?: object };
}
interface MeasureApi {
  getStringUnitWidth(
    this: MeasureThis,
    text: string,
    options?: { font?: MeasuredFont; charSpace?: number; fontSize?: number },
  ): number;
  splitTextToSize(
    this: MeasureThis,
    text: string | string[],
    size: number,
    options?: { fontSize?: number; textIndent?: number; lineIndent?: number; widths?: unknown; kerning?: unknown },
  ): string[];
}
interface MeasureThis {
  internal: { getFont(): MeasuredFont; getFontSize(): number; getCharSpace(): number };
}
const MEASURED = Symbol.for('aquadesk.measuredOnce');
/** Answers kept per parsed font; started afresh when this large. */
const MAX_MEASURED = 20_000;

/**
 * The parsed font's metrics (shared by every document since section 2), as a key: widths of a
 * TrueType font depend on nothing else. Standard fonts (no `hmtx`) are measured as before.
 */
const metricsOf = (font: MeasuredFont | undefined): object | null =>
  font?.metadata && typeof font.metadata.widthOfString === 'function' ? (font.metadata.hmtx ?? null) : null;

/** Answers by font size (one map each), then by text; a size's map started afresh when too large. */
export type BySize<V> = Map<number, Map<string, V>>;
/** Shrunken fonts come in any size: past this many sizes their maps are let go. */
const MAX_SIZES = 64;

/** The answers kept for `owner` (a parsed font, a set of fonts) at a size, by text. */
export function keptBySize<V>(store: WeakMap<object, BySize<V>>, owner: object, fontSize: number): Map<string, V> {
  let sizes = store.get(owner);
  if (!sizes) store.set(owner, (sizes = new Map()));
  let known = sizes.get(fontSize);
  if (!known || known.size > MAX_MEASURED) {
    if (!known && sizes.size >= MAX_SIZES) sizes.clear();
    sizes.set(fontSize, (known = new Map()));
  }
  return known;
}

/**
 * jspdf-autotable measures every cell's text (whole and word by word) and wraps it with
 * `splitTextToSize`; we measure and wrap the same words, sums and headings in every document. Both
 * answers are a pure function of the TrueType font's metrics, the text and (for wrapping) the font
 * size and width, so they are kept across documents; a wrapped result is handed out as a copy
 * (autotable splices the lines of a row it breaks across pages). Installed once.
 */
export function measureTextOnce(): void {
  const api = (jsPDF as unknown as { API: MeasureApi & { [MEASURED]?: true } }).API;
  if (api[MEASURED]) return;
  const unitWidth = api.getStringUnitWidth;
  const split = api.splitTextToSize;
  const widths = new WeakMap<object, BySize<number>>();
  const lines = new WeakMap<object, BySize<string[]>>();
  api.getStringUnitWidth = function (text, options) {
    const font = options?.font ?? this.internal.getFont();
    const metrics = metricsOf(font);
    const charSpace = options?.charSpace || this.internal.getCharSpace();
    if (!metrics || charSpace || typeof text !== 'string') return unitWidth.call(this, text, options);
    // The size is part of the key: the unit width is the width at that size divided by it again.
    const known = keptBySize(widths, metrics, options?.fontSize || this.internal.getFontSize());
    let width = known.get(text);
    if (width === undefined) known.set(text, (width = unitWidth.call(this, text, options)));
    return width;
  };
  api.splitTextToSize = function (text, size, options) {
    const metrics = metricsOf(this.internal.getFont());
    const plain =
      !options ||
      (options.widths === undefined &&
        options.kerning === undefined &&
        !options.textIndent &&
        options.lineIndent === undefined);
    if (!metrics || !plain || this.internal.getCharSpace()) return split.call(this, text, size, options);
    const fontSize = options?.fontSize || this.internal.getFontSize();
    const body = Array.isArray(text) ? `A${text.join('\u0000')}` : `S${String(text)}`;
    const key = `${size}|${body}`;
    const known = keptBySize(lines, metrics, fontSize);
    let result = known.get(key);
    if (result === undefined) known.set(key, (result = split.call(this, text, size, options)));
    return result.slice();
  };
  api[MEASURED] = true;
}
