// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 7. Plain text written as the operators `text()` writes; colour operators kept by their arguments.
//    The glyphs are encoded by glyph-escape.ts.
import type { jsPDF } from 'jspdf';
import { RTL } from './arabic-shaping';
import { escapeLine, type GlyphFont } from './glyph-escape';

/**
 * The shortcuts that draw instead of jsPDF and autotable (sections 7 and 10, table-draw.ts), on
 * unless switched off: tests render with them and without and compare the bytes.
 */
export const shortcuts = { plainText: true, tables: true, paths: true };

interface TextFont {
  id: string;
  encoding?: string;
  metadata?: { cmap?: { unicode?: { codeMap: Record<number, number> } }; Unicode?: unknown };
}
type TextFn = (text: unknown, x: unknown, y: unknown, options?: unknown, transform?: unknown) => unknown;
interface TextDoc {
  text: TextFn;
  setTextColor(...args: unknown[]): unknown;
  setDrawColor(...args: unknown[]): unknown;
  setFillColor(...args: unknown[]): unknown;
  getFillColor(): string;
  setCharSpace(...args: unknown[]): unknown;
  setR2L(...args: unknown[]): unknown;
  setFont(name: unknown, style?: unknown, weight?: unknown): unknown;
  setFontStyle?: (...args: unknown[]) => unknown;
  restoreGraphicsState(...args: unknown[]): unknown;
  isAdvancedAPI(): boolean;
  getLineHeightFactor(): number;
  getStringUnitWidth(text: string, options: object): number;
  __private__: { encodeColorString(options: object): string };
  internal: {
    scaleFactor: number;
    getFont(): TextFont;
    getFontSize(): number;
    getHorizontalCoordinate(x: number): number;
    getVerticalCoordinate(y: number): number;
    getCurrentPageInfo(): { pageContext: { usedRenderingMode?: number } };
    out(text: string): unknown;
  };
}

type ColorKind = 'text' | 'draw' | 'fill';
/**
 * Colours as jsPDF encodes them (`0.129 g`, `0.67 G`), by kind and arguments: what statements set
 * — a grey level or an RGB triple of whole 0–255 values (as one number), or one colour string
 * (what getFillColor returns) — found without building a key; anything else by its arguments in words.
 */
interface ColorStrings {
  simple: Map<number | string, string>;
  other: Map<string, string>;
}
const colorStrings: Record<ColorKind, ColorStrings> = {
  text: { simple: new Map(), other: new Map() },
  draw: { simple: new Map(), other: new Map() },
  fill: { simple: new Map(), other: new Map() },
};
const COLOR_STRINGS_LIMIT = 1024;
const isByte = (c: unknown): c is number => typeof c === 'number' && (c & 255) === c;

/** The simple key of a colour's arguments, or null. */
function simpleColorKey(ch1: unknown, ch2: unknown, ch3: unknown, ch4: unknown): number | string | null {
  if (ch4 !== undefined) return null;
  if (ch2 === undefined && ch3 === undefined) return isByte(ch1) || typeof ch1 === 'string' ? ch1 : null;
  return isByte(ch1) && isByte(ch2) && isByte(ch3) ? 256 + ((ch1 << 16) | (ch2 << 8) | ch3) : null;
}

/**
 * jsPDF's hpf at floatPrecision 2 (`toFixed(2)`, trailing zeros dropped: `249.`, `0.`, `-0.`), the
 * same text. From the number of hundredths when that is certain (the value is not within a
 * millionth of a half-hundredth, where the double's rounding could differ from toFixed's exact one),
 * else through toFixed itself.
 */
export function hpf(n: number): string {
  if (Number.isNaN(n)) throw new Error('Invalid argument passed to jsPDF.hpf');
  const scaled = n * 100;
  const hundredths = Math.round(scaled);
  if (Math.abs(n) < 1e13 && Math.abs(Math.abs(scaled - hundredths) - 0.5) > 1e-6) {
    if (hundredths === 0) return n < 0 ? '-0.' : '0.';
    const sign = hundredths < 0 ? '-' : '';
    const whole = Math.abs(hundredths);
    const units = Math.floor(whole / 100);
    const cents = whole - units * 100;
    if (cents === 0) return `${sign}${units}.`;
    if (cents % 10 === 0) return `${sign}${units}.${cents / 10}`;
    return `${sign}${units}.${cents < 10 ? '0' : ''}${cents}`;
  }
  let text = n.toFixed(2);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end--;
  if (end < text.length) text = text.slice(0, end);
  return text;
}

/** Options of `text()` this writer handles; with any other, jsPDF draws the text itself. */
const PLAIN_OPTIONS = new Set([
  'align',
  'baseline',
  'isInputVisual',
  'isOutputVisual',
  'isInputRtl',
  'isOutputRtl',
  'isSymmetricSwapping',
]);
/** A line jsPDF would break (a newline) or reorder (right-to-left script): jsPDF's `text()` draws it. */
const NOT_PLAIN = new RegExp(`[\\r\\n]|${RTL.source}`);
type PlainOptions = { align: string; baseline: string | undefined } | null;
const LEFT: PlainOptions = { align: 'left', baseline: undefined };

function plainOptions(options: unknown): PlainOptions {
  if (options === undefined) return LEFT;
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype)
    return null;
  const o = options as Record<string, unknown>;
  for (const key in o) if (Object.prototype.hasOwnProperty.call(o, key) && !PLAIN_OPTIONS.has(key)) return null;
  // Right-to-left input or output would have jsPDF's bidi pass reorder the encoded text.
  if (o['isInputRtl'] || o['isOutputRtl'] || o['isOutputVisual'] || o['isSymmetricSwapping']) return null;
  const align = o['align'] ?? 'left';
  const baseline = o['baseline'];
  if (align !== 'left' && align !== 'right' && align !== 'center') return null;
  if (baseline !== undefined && baseline !== 'top' && baseline !== 'alphabetic') return null;
  return { align, baseline };
}

/**
 * jsPDF's `text()` runs each string through a dozen steps (argument juggling, the Arabic shaper,
 * word-spacing and rendering-mode bookkeeping, the UTF-8 escape, the bidi engine, a Td per line)
 * however plain it is, and autotable calls it for every cell. For what statements draw — lines of
 * left-, right- or centre-aligned text in an embedded (Identity-H) font, no Hebrew or Arabic, no
 * char spacing, rendering mode, angle or maxWidth — the operators it writes are known: the same
 * `BT /F Tf TL colour Td <glyphs> Tj [T* <glyphs> Tj] ET`, with the glyphs encoded by jsPDF's own
 * `pdfEscape16` (which also records the glyphs the font subset must embed). Those are written
 * here directly, byte for byte what `text()` writes (the PDF tests compare bytes); anything else
 * goes to jsPDF's `text()` as before. The text colour is known from `setTextColor`, wrapped here;
 * until it is called (or after a graphics state is restored) jsPDF draws. Per document.
 */
export function writePlainText(doc: jsPDF): void {
  const d = doc as unknown as TextDoc;
  const original = d.text.bind(d);
  const setTextColor = d.setTextColor.bind(d);
  const setCharSpace = d.setCharSpace.bind(d);
  const setR2L = d.setR2L.bind(d);
  const restore = d.restoreGraphicsState.bind(d);
  const { internal } = d;
  let color: string | null = null;
  let plain = true;
  // Colours: jsPDF encodes the arguments into an operator (`0.129 g`) on every call, which is its
  // state and (draw and fill) written out at once. The encoding is kept by arguments; a call that
  // sets the colour already set leaves the state as it is and writes the same operator.
  const encode = (type: ColorKind, ch1: unknown, ch2: unknown, ch3: unknown, ch4: unknown) => {
    const known = colorStrings[type];
    const simple = simpleColorKey(ch1, ch2, ch3, ch4);
    const key = simple ?? `${String(ch1)}|${String(ch2)}|${String(ch3)}|${String(ch4)}`;
    const store: Map<number | string, string> = simple === null ? known.other : known.simple;
    let encoded = store.get(key);
    if (encoded === undefined) {
      encoded = d.__private__.encodeColorString({
        ch1,
        ch2,
        ch3,
        ch4,
        pdfColorType: type,
        precision: type === 'text' ? 3 : 2,
      });
      if (store.size < COLOR_STRINGS_LIMIT) store.set(key, encoded);
    }
    return encoded;
  };
  d.setTextColor = (ch1, ch2, ch3, ch4) => {
    const encoded = encode('text', ch1, ch2, ch3, ch4);
    if (encoded !== color) setTextColor(ch1, ch2, ch3, ch4);
    color = encoded;
    return d;
  };
  let stroke: string | null = null;
  let fill: string | null = null;
  const setDrawColor = d.setDrawColor.bind(d);
  const setFillColor = d.setFillColor.bind(d);
  const getFillColor = d.getFillColor.bind(d);
  d.setDrawColor = (ch1, ch2, ch3, ch4) => {
    const encoded = encode('draw', ch1, ch2, ch3, ch4);
    if (encoded === stroke) internal.out(encoded);
    else setDrawColor(ch1, ch2, ch3, ch4);
    stroke = encoded;
    return d;
  };
  d.setFillColor = (ch1, ch2, ch3, ch4) => {
    const encoded = encode('fill', ch1, ch2, ch3, ch4);
    if (encoded === fill) internal.out(encoded);
    else setFillColor(ch1, ch2, ch3, ch4);
    fill = encoded;
    return d;
  };
  let fillRead: [string, string] | null = null;
  d.getFillColor = () => {
    if (fill === null) return getFillColor();
    if (fillRead?.[0] !== fill) fillRead = [fill, getFillColor()];
    return fillRead[1];
  };
  d.setCharSpace = (...args) => {
    plain = false;
    return setCharSpace(...args);
  };
  d.setR2L = (...args) => {
    plain = false;
    return setR2L(...args);
  };
  // The active font, read from jsPDF once per change (its setFont and getFont lower-case the name to
  // look it up every time): it changes with setFont, setFontStyle and restoreGraphicsState only, so
  // a setFont with the same name and style as the last one, nothing changed since, is skipped (it
  // writes nothing; tables set their cells' font cell after cell). `fontSet`: the last name and style
  // are known and nothing else changed the font since.
  let font: TextFont | null = null;
  let fontSet = false;
  let setName: unknown;
  let setStyle: unknown;
  const setFont = d.setFont.bind(d);
  d.setFont = (name, style, weight) => {
    if (fontSet && weight === undefined && name === setName && style === setStyle) return d;
    font = null;
    setFont(name, style, weight);
    fontSet = weight === undefined;
    setName = name;
    setStyle = style;
    return d;
  };
  if (typeof d.setFontStyle === 'function') {
    const setFontStyle = d.setFontStyle.bind(d);
    d.setFontStyle = (...args) => {
      font = null;
      fontSet = false;
      return setFontStyle(...args);
    };
  }
  d.restoreGraphicsState = (...args) => {
    color = null;
    font = null;
    fontSet = false;
    return restore(...args);
  };
  // The start of a text object (`BT /F1 9 Tf 10.35 TL 0.129 g`), the same for most of a table's cells.
  let head = { font: '', size: NaN, lineHeight: NaN, color: '', text: '' };
  d.text = function (text, x, y, options, transform) {
    const o = plainOptions(options);
    if (
      !o ||
      !plain ||
      color === null ||
      transform !== undefined ||
      arguments.length > 4 ||
      typeof x !== 'number' ||
      typeof y !== 'number' ||
      Number.isNaN(x) ||
      Number.isNaN(y)
    )
      return original(text, x, y, options, transform);
    const lines = typeof text === 'string' ? [text] : text;
    if (!Array.isArray(lines) || lines.some((l) => typeof l !== 'string' || NOT_PLAIN.test(l)))
      return original(text, x, y, options, transform);
    if (lines.length === 0 || (typeof text === 'string' && text.length === 0)) return d;
    if (o.align !== 'left' && lines.length !== 1) return original(text, x, y, options, transform);
    font ??= internal.getFont();
    const codeMap = font.metadata?.cmap?.unicode?.codeMap;
    // (a font without its Unicode table would have the escape drop Latin-1 as well: jsPDF's)
    if (
      font.encoding !== 'Identity-H' ||
      !codeMap ||
      !Object.prototype.hasOwnProperty.call(font.metadata, 'Unicode') ||
      d.isAdvancedAPI()
    )
      return original(text, x, y, options, transform);
    if (internal.getCurrentPageInfo().pageContext.usedRenderingMode !== undefined)
      return original(text, x, y, options, transform);

    const fontSize = internal.getFontSize();
    const lineHeight = d.getLineHeightFactor();
    if (o.baseline === 'top') {
      const height = fontSize / internal.scaleFactor;
      y += height - height * (lineHeight - 1);
    }
    if (o.align !== 'left') {
      const width =
        (d.getStringUnitWidth(lines[0] as string, { font, charSpace: undefined, fontSize, doKerning: false }) *
          fontSize) /
        internal.scaleFactor;
      x -= o.align === 'right' ? width : width / 2;
    }
    // What jsPDF's UTF-8 escape keeps of each line (characters the font maps, or below 256), encoded.
    let encoded = '';
    for (let n = 0; n < lines.length; n++)
      encoded += `${n > 0 ? ' Tj\nT* ' : ''}<${escapeLine(lines[n] as string, font as unknown as GlyphFont)}>`;
    if (head.font !== font.id || head.size !== fontSize || head.lineHeight !== lineHeight || head.color !== color)
      head = {
        font: font.id,
        size: fontSize,
        lineHeight,
        color,
        text: `BT\n/${font.id} ${fontSize} Tf\n${hpf(fontSize * lineHeight)} TL\n${color}\n`,
      };
    internal.out(
      `${head.text}${hpf(internal.getHorizontalCoordinate(x))} ${hpf(internal.getVerticalCoordinate(y))} Td\n` +
        `${encoded} Tj\nET`,
    );
    return d;
  };
}
