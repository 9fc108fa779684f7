// Costs jsPDF pays again for every document, each removed here once per process or per document,
// the bytes it writes unchanged (the PDF tests compare bytes; the benchmark measures what it saved):
//
// 1. Font directory. jsPDF re-encodes the embedded font for every document (it subsets the glyphs
//    the page used). Its TrueType writer joins the font's tables by `Array.concat` of plain byte
//    arrays, copying everything written so far once per table, and checksums through another full
//    copy: for our ~65 KB faces that was most of a breakdown's render time. Swapped for the same
//    algorithm over one preallocated Uint8Array (byte-for-byte the same output), on the prototype.
// 2. Font parsing. `addFont` decodes the font's base64 and parses the whole TrueType file (cmap,
//    metrics, glyph offsets) for each document. The parse is read-only afterwards, so it is kept per
//    file and each document gets a view of it with its own per-document state (the glyph → character
//    map its text fills); a document registers a short stand-in for the file instead of its base64.
//    The subset of a parse to a set of glyphs is kept too (the last few sets).
// 3. Compression. Streams are deflated by fflate in JavaScript after a byte-by-byte string copy and
//    copied back the same way; where the host has a native deflate (Node's zlib) it is used instead.
//    A font's streams (its subset program, its ToUnicode map) are kept deflated, the last few.
// 4. Arabic shaping. Every string measured or drawn goes through jsPDF's Arabic shaper; it is skipped
//    for text without Hebrew or Arabic letters, which it would give back unchanged.
// 5. The font list jspdf-autotable asks for at every cell, kept per document.
// 6. Text widths and wrapping (getStringUnitWidth, splitTextToSize), kept per parsed font.
// 7. Plain text written as the operators `text()` writes; colour operators kept by their arguments.
// 8. The embedded font's objects written from the kept subset, not copied into a string byte by byte.
import { jsPDF } from 'jspdf';

type Tables = Record<string, ArrayLike<number>>;
interface DirectoryLike {
  scalarType: number;
  encode(tables: Tables): ArrayLike<number>;
}

const PATCHED = Symbol.for('aquadesk.fastFontDirectory');

function checksum(bytes: Uint8Array, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 4) {
    sum =
      (sum +
        (((bytes[i] ?? 0) << 24) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0))) >>>
      0;
  }
  return sum;
}

function encodeDirectory(this: DirectoryLike, tables: Tables): Uint8Array {
  const tags = Object.keys(tables);
  const tableCount = tags.length;
  const searchRange = Math.floor(Math.log(tableCount) / Math.log(2)) * 16;
  const entrySelector = Math.floor(searchRange / Math.log(2));
  const rangeShift = tableCount * 16 - searchRange;
  let total = 12 + tableCount * 16;
  for (const tag of tags) total += (tables[tag]!.length + 3) & ~3;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, this.scalarType >>> 0);
  view.setUint16(4, tableCount);
  view.setUint16(6, searchRange);
  view.setUint16(8, entrySelector);
  view.setUint16(10, rangeShift);
  let entry = 12;
  let offset = 12 + tableCount * 16;
  let headOffset = -1;
  for (const tag of tags) {
    const table = tables[tag]!;
    const padded = new Uint8Array((table.length + 3) & ~3);
    padded.set(table);
    for (let i = 0; i < 4; i++) out[entry + i] = tag.charCodeAt(i) & 0xff;
    view.setUint32(entry + 4, checksum(padded, padded.length));
    view.setUint32(entry + 8, offset);
    view.setUint32(entry + 12, table.length);
    out.set(padded, offset);
    if (tag === 'head') headOffset = offset;
    offset += padded.length;
    entry += 16;
  }
  if (headOffset >= 0) view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out, out.length)) >>> 0);
  return out;
}

/** Patches jsPDF's font directory encoder (once); `doc` must have a TrueType font registered. */
export function useFastFontEncoding(doc: jsPDF, fontName: string, fontStyle: string): void {
  const font = (
    doc.internal as unknown as { getFont(name: string, style: string): { metadata?: { directory?: DirectoryLike } } }
  ).getFont(fontName, fontStyle);
  const directory = font.metadata?.directory;
  if (!directory) return;
  const proto = Object.getPrototypeOf(directory) as DirectoryLike & { [PATCHED]?: boolean };
  if (proto[PATCHED]) return;
  proto.encode = encodeDirectory;
  proto[PATCHED] = true;
}

// ---------- 2. one parse per font file ----------

interface TtfStatic {
  open(file: Uint8Array): object;
}
const SHARED = Symbol.for('aquadesk.sharedFontParse');
/** Parsed fonts kept (our two faces; a few more if a caller brings its own). */
const PARSED_LIMIT = 4;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A font file as a document registers it: a short stand-in that starts as a TrueType file does (so
 * jsPDF takes it as binary, without decoding base64), which `TTFFont.open` resolves to the bytes and
 * their one parse. Saves decoding and copying the ~65 KB of each face into every document; what is
 * embedded comes from the parse (its glyph subset), as before. The real bytes stay the fallback.
 */
const TOKEN_MARK = '\x00\x01\x00\x00aquadesk-font:';
const tokens = new Map<string, Uint8Array>();
export function fontFileToken(bytes: Uint8Array): string {
  for (const [token, known] of tokens) if (sameBytes(known, bytes)) return token;
  const token = `${TOKEN_MARK}${tokens.size}`;
  tokens.set(token, bytes);
  return token;
}
export const isFontFileToken = (token: string): boolean => tokens.has(token);
const tokenOf = (file: Uint8Array): string | null => {
  if (file.length > 64) return null;
  const text = String.fromCharCode(...file);
  return text.startsWith(TOKEN_MARK) && tokens.has(text) ? text : null;
};

/** Makes jsPDF parse each font file once per process (installed once; see the note on top). */
export function shareFontParsing(): void {
  const ttf = (jsPDF as unknown as { API: { TTFFont: TtfStatic & { [SHARED]?: boolean } } }).API.TTFFont;
  if (ttf[SHARED]) return;
  const open = ttf.open.bind(ttf);
  const parsed: { bytes: Uint8Array; font: object }[] = [];
  ttf.open = (given: Uint8Array) => {
    const token = tokenOf(given);
    const file = token ? tokens.get(token)! : given;
    let entry = parsed.find((e) => e.bytes === file) ?? parsed.find((e) => sameBytes(e.bytes, file));
    if (!entry) {
      entry = { bytes: file, font: open(file) };
      encodeSubsetsOnce(entry.font as { subset?: SubsetLike });
      parsed.unshift(entry);
      parsed.length = Math.min(parsed.length, PARSED_LIMIT);
    }
    // A shallow copy: the parsed tables are shared (read-only once parsed; jsPDF asks
    // `hasOwnProperty('cmap')`, so they are own properties), the document's state is its own:
    // `toUnicode` is filled as its text is drawn, and jsPDF's addFont handler sets `Unicode` and
    // `glyIdsUsed` on this copy.
    return Object.assign(Object.create(Object.getPrototypeOf(entry.font) as object) as object, entry.font, {
      toUnicode: {},
    });
  };
  ttf[SHARED] = true;
}

/** Subsets of one parsed font kept (a mailing's letters draw much the same glyphs). */
const SUBSETS_LIMIT = 32;
interface SubsetLike {
  encode(glyphIds: number[], indexToLocFormat?: number): Uint8Array;
}

/**
 * The font program a document embeds is jsPDF's subset of the parsed font to the glyphs its text
 * drew: a pure function of the parse and that set of glyphs (the glyph list a document collects
 * holds one entry per character drawn, so it is reduced to its distinct ids for the key). Kept per
 * parse for the last few sets; a document drawing other glyphs gets its own subset, as before.
 */
function encodeSubsetsOnce(font: { subset?: SubsetLike }): void {
  const subset = font.subset;
  if (!subset || typeof subset.encode !== 'function') return;
  const encode = subset.encode.bind(subset);
  const known = new Map<string, Uint8Array>();
  subset.encode = (glyphIds, indexToLocFormat) => {
    const ids = [...new Set(glyphIds)].sort((a, b) => a - b);
    const key = `${indexToLocFormat}|${ids.join(',')}`;
    let bytes = known.get(key);
    if (bytes) {
      known.delete(key); // most recently used last
    } else {
      bytes = encode(glyphIds, indexToLocFormat);
      if (known.size >= SUBSETS_LIMIT) known.delete(known.keys().next().value!);
    }
    known.set(key, bytes);
    return bytes;
  };
}

// ---------- 3. native deflate ----------

/** Deflates a binary string (one char per byte) into a zlib stream, as a binary string. */
export type BinaryDeflate = (data: string) => string;
type Filters = (data: string, chain?: string | string[]) => { data: string; reverseChain: string };
const DEFLATE = Symbol.for('aquadesk.nativeDeflate');
/**
 * A font's streams deflated — its subset program (section 2; a TrueType file, one char a byte, as
 * jsPDF writes it) and its ToUnicode map — kept for the last few: the same subset deflates to the
 * same bytes. Only a font's streams: a page's content is deflated afresh every time.
 */
const fontPrograms = new Map<string, string>();
const FONT_PROGRAMS_LIMIT = 32;
const isFontProgram = (data: string): boolean =>
  (data.length > 1024 && (data.startsWith('\x00\x01\x00\x00') || data.startsWith('true'))) ||
  data.startsWith('/CIDInit /ProcSet findresource begin\n');

/** Routes jsPDF's FlateEncode (its only filter we use) through `deflate`; other chains as before. */
export function useDeflate(deflate: BinaryDeflate): void {
  const api = (jsPDF as unknown as { API: { processDataByFilters: Filters & { [DEFLATE]?: BinaryDeflate } } }).API;
  const current = api.processDataByFilters;
  if (current[DEFLATE]) {
    if (current[DEFLATE] !== deflate) fontPrograms.clear();
    current[DEFLATE] = deflate;
    return;
  }
  const patched: Filters & { [DEFLATE]?: BinaryDeflate } = (data, chain) => {
    const only = Array.isArray(chain) ? (chain.length === 1 ? chain[0] : undefined) : chain;
    if (only === 'FlateEncode' || only === '/FlateEncode') {
      const text = data ?? '';
      if (!isFontProgram(text)) return { data: patched[DEFLATE]!(text), reverseChain: '/FlateDecode' };
      let deflated = fontPrograms.get(text);
      if (deflated === undefined) {
        deflated = patched[DEFLATE]!(text);
        if (fontPrograms.size >= FONT_PROGRAMS_LIMIT) fontPrograms.delete(fontPrograms.keys().next().value!);
      } else fontPrograms.delete(text);
      fontPrograms.set(text, deflated);
      return { data: deflated, reverseChain: '/FlateDecode' };
    }
    return current(data, chain);
  };
  patched[DEFLATE] = deflate;
  api.processDataByFilters = patched;
}

// ---------- 4. Arabic shaping only where there is Arabic ----------

const SKIP_SHAPING = Symbol.for('aquadesk.arabicOnlyWhereArabic');
/** Hebrew, Arabic and their presentation forms: text with none of them is left as it is by the shaper. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
type TextInput = string | (string | [string, ...unknown[]])[];
type Shaper = ((input: string | { text: TextInput }) => unknown) & { [SKIP_SHAPING]?: true };

const hasRtl = (text: TextInput): boolean =>
  typeof text === 'string' ? RTL.test(text) : text.some((e) => RTL.test(Array.isArray(e) ? e[0] : e));

/**
 * jsPDF runs its Arabic shaper over every string it measures or draws (a word-by-word rebuild of each
 * one). For text without a Hebrew or Arabic letter the shaper gives back the same characters, so it is
 * skipped there and the same value returned in the shape the shaper returns (an array's lines as
 * `[text]` / `[text, x, y]`); text with such letters still goes through it. Installed once.
 */
export function shapeOnlyArabicText(): void {
  const api = (jsPDF as unknown as { API: { processArabic: Shaper; events: [string, unknown][] } }).API;
  const original = api.processArabic;
  if (!original || original[SKIP_SHAPING]) return;
  const fast: Shaper = function (this: unknown, input) {
    const text = typeof input === 'string' ? input : input?.text;
    if ((typeof text !== 'string' && !Array.isArray(text)) || hasRtl(text)) return original.call(this, input);
    const same = typeof text === 'string' ? text : text.map((e) => (Array.isArray(e) ? [e[0], e[1], e[2]] : [e]));
    if (typeof input === 'string') return same;
    (input as { text: unknown }).text = same;
    return input;
  };
  fast[SKIP_SHAPING] = true;
  api.processArabic = fast;
  for (const entry of api.events) if (entry[0] === 'preProcessText' && entry[1] === original) entry[1] = fast;
}

// ---------- 5. the font list, once per document ----------

/**
 * jspdf-autotable asks the document for its whole font list (every standard face and ours, built
 * anew) each time it applies a cell's style; the list changes only when a font is added. Kept per
 * document, made again after an `addFont`.
 */
export function keepFontList(doc: jsPDF): void {
  const api = doc as unknown as {
    getFontList(): Record<string, string[]>;
    addFont(...args: unknown[]): string;
  };
  const build = api.getFontList.bind(doc);
  const add = api.addFont.bind(doc);
  let list: Record<string, string[]> | null = null;
  api.getFontList = () => (list ??= build());
  api.addFont = (...args: unknown[]) => {
    list = null;
    return add(...args);
  };
}

// ---------- 6. text measured once per font ----------

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

function memo<V>(store: WeakMap<object, Map<string, V>>, metrics: object): Map<string, V> {
  let known = store.get(metrics);
  if (!known || known.size > MAX_MEASURED) store.set(metrics, (known = new Map()));
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
  const widths = new WeakMap<object, Map<string, number>>();
  const lines = new WeakMap<object, Map<string, string[]>>();
  api.getStringUnitWidth = function (text, options) {
    const font = options?.font ?? this.internal.getFont();
    const metrics = metricsOf(font);
    const charSpace = options?.charSpace || this.internal.getCharSpace();
    if (!metrics || charSpace || typeof text !== 'string') return unitWidth.call(this, text, options);
    // The size is part of the key: the unit width is the width at that size divided by it again.
    const key = `${options?.fontSize || this.internal.getFontSize()}|${text}`;
    const known = memo(widths, metrics);
    let width = known.get(key);
    if (width === undefined) known.set(key, (width = unitWidth.call(this, text, options)));
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
    const key = `${fontSize}|${size}|${body}`;
    const known = memo(lines, metrics);
    let result = known.get(key);
    if (result === undefined) known.set(key, (result = split.call(this, text, size, options)));
    return result.slice();
  };
  api[MEASURED] = true;
}

// ---------- 7. plain text written directly ----------

/**
 * The two shortcuts that draw instead of jsPDF and autotable (section 7, table-draw.ts), on unless
 * switched off: tests render with them and without and compare the bytes.
 */
export const shortcuts = { plainText: true, tables: true };

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

/** Colours as jsPDF encodes them (`0.129 g`, `0.67 G`), by kind and arguments. */
const colorStrings = new Map<string, string>();

/** jsPDF's hpf at floatPrecision 2 (`toFixed(2)`, trailing zeros dropped: `249.`, `0.`), the same text. */
function hpf(n: number): string {
  if (Number.isNaN(n)) throw new Error('Invalid argument passed to jsPDF.hpf');
  let text = n.toFixed(2);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end--;
  if (end < text.length) text = text.slice(0, end);
  return text;
}

interface GlyphFont {
  metadata: {
    Unicode: { widths: (number | number[])[] };
    glyIdsUsed: number[];
    toUnicode: Record<number, number>;
    characterToGlyph(code: number): number;
    widthOfGlyph(glyph: number): number;
    cmap: object;
  };
}
/** Per document and face: the glyphs already in its /W list and its glyph list. */
interface GlyphState {
  widths: Set<number>;
  widthsLength: number;
  used: Set<number>;
  usedLength: number;
}
const glyphStates = new WeakMap<object, GlyphState>();
const HEX4 = ['', '0', '00', '000', '0000'];
/** A glyph id as pdfEscape16 writes it (4 hex digits), by id. */
const HEX: string[] = [];
/** Character → glyph, per parsed font (by its cmap table, which every document's copy shares). */
const glyphsOf = new WeakMap<object, Map<number, number>>();

/**
 * jsPDF's pdfEscape16 with the same results and side effects — each glyph recorded in the face's
 * glyph list, its character in the ToUnicode map, its width appended to /W the first time — without
 * its linear search of the /W list for every character (and a glyph listed once, not per character:
 * the subset depends on the set only). Lists changed elsewhere (jsPDF drawing some text itself) are
 * read again before use.
 */
function escape16(text: string, font: GlyphFont): string {
  const m = font.metadata;
  const widths = m.Unicode.widths;
  let state = glyphStates.get(m);
  if (!state) glyphStates.set(m, (state = { widths: new Set(), widthsLength: -1, used: new Set(), usedLength: -1 }));
  if (state.widthsLength !== widths.length) {
    state.widths.clear();
    for (let i = 0; i < widths.length; i++) if (typeof widths[i] === 'number') state.widths.add(widths[i] as number);
    state.widthsLength = widths.length;
  }
  if (state.usedLength !== m.glyIdsUsed.length) {
    state.used = new Set(m.glyIdsUsed);
    state.usedLength = m.glyIdsUsed.length;
  }
  let glyphs = glyphsOf.get(m.cmap);
  if (!glyphs) glyphsOf.set(m.cmap, (glyphs = new Map()));
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let t = glyphs.get(code);
    if (t === undefined) glyphs.set(code, (t = m.characterToGlyph(code)));
    if (!state.used.has(t)) {
      state.used.add(t);
      m.glyIdsUsed.push(t);
      state.usedLength++;
    }
    if (m.toUnicode[t] !== code) m.toUnicode[t] = code;
    if (!state.widths.has(t)) {
      state.widths.add(t);
      widths.push(t);
      widths.push([parseInt(String(m.widthOfGlyph(t)), 10)]);
      state.widthsLength += 2;
    }
    if (t === 0) return out; // as jsPDF: glyph 0 ends the string
    let hex = HEX[t];
    if (hex === undefined) {
      const digits = t.toString(16);
      HEX[t] = hex = HEX4[4 - digits.length]! + digits;
    }
    out += hex;
  }
  return out;
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
const NEWLINE = /[\r\n]/;

function plainOptions(options: unknown): { align: string; baseline: string | undefined } | null {
  if (options === undefined) return { align: 'left', baseline: undefined };
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype)
    return null;
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!PLAIN_OPTIONS.has(key)) return null;
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
  const encode = (type: 'text' | 'draw' | 'fill', ch1: unknown, ch2: unknown, ch3: unknown, ch4: unknown) => {
    const key = `${type}|${String(ch1)}|${String(ch2)}|${String(ch3)}|${String(ch4)}`;
    let encoded = colorStrings.get(key);
    if (encoded === undefined) {
      encoded = d.__private__.encodeColorString({
        ch1,
        ch2,
        ch3,
        ch4,
        pdfColorType: type,
        precision: type === 'text' ? 3 : 2,
      });
      if (colorStrings.size < 1024) colorStrings.set(key, encoded);
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
  d.restoreGraphicsState = (...args) => {
    color = null;
    return restore(...args);
  };
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
    if (!Array.isArray(lines) || lines.some((l) => typeof l !== 'string' || NEWLINE.test(l) || RTL.test(l)))
      return original(text, x, y, options, transform);
    if (lines.length === 0 || (typeof text === 'string' && text.length === 0)) return d;
    if (o.align !== 'left' && lines.length !== 1) return original(text, x, y, options, transform);
    const font = internal.getFont();
    const codeMap = font.metadata?.cmap?.unicode?.codeMap;
    if (font.encoding !== 'Identity-H' || !codeMap || d.isAdvancedAPI())
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
    // What jsPDF's UTF-8 escape keeps of a line (characters the font maps, or below 256), encoded.
    const hasUnicode = Object.prototype.hasOwnProperty.call(font.metadata, 'Unicode');
    let encoded = '';
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n] as string;
      let all = true;
      for (let i = 0; i < line.length && all; i++) {
        const code = line.charCodeAt(i);
        all = !!codeMap[code] || (code < 256 && hasUnicode);
      }
      let kept = line;
      if (!all) {
        kept = '';
        for (let i = 0; i < line.length; i++) {
          const code = line.charCodeAt(i);
          if (codeMap[code] || (code < 256 && hasUnicode)) kept += line[i];
        }
      }
      encoded += `${n > 0 ? ' Tj\nT* ' : ''}<${escape16(kept, font as unknown as GlyphFont)}>`;
    }
    internal.out(
      `BT\n/${font.id} ${fontSize} Tf\n${hpf(fontSize * lineHeight)} TL\n${color}\n` +
        `${hpf(internal.getHorizontalCoordinate(x))} ${hpf(internal.getVerticalCoordinate(y))} Td\n` +
        `${encoded} Tj\nET`,
    );
    return d;
  };
}

// ---------- 8. the embedded font's objects ----------

interface PutFontArgs {
  font: {
    fontName: string;
    encoding?: string;
    objectNumber?: number;
    isAlreadyPutted?: boolean;
    metadata?: {
      Unicode: { widths: unknown[] };
      subset: SubsetLike;
      glyIdsUsed: number[];
      toUnicode: Record<number, number>;
      bbox: unknown;
      flags: number;
      stemV: number;
      italicAngle: number;
      ascender: number;
      decender: number;
      capHeight: number;
    };
  };
  out(text: string): void;
  newObject(): number;
  putStream(options: { data: string; addLength1: boolean; objectId: number }): void;
}
type PutFont = (args: PutFontArgs) => void;
const FAST_PUT_FONT = Symbol.for('aquadesk.fastPutFont');
const PLAIN_NAME = /^[A-Za-z0-9_.+-]+$/;

/** A font program as jsPDF hands it to its stream writer: one char a byte (kept per subset). */
const programs = new WeakMap<Uint8Array, string>();
function binaryString(bytes: Uint8Array): string {
  let text = programs.get(bytes);
  if (text !== undefined) return text;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192)
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]));
  programs.set(bytes, (text = parts.join('')));
  return text;
}

/**
 * PDFObject.convert of a /W list (glyph ids and one-element arrays of widths), the same text built
 * without an array and a string per element; anything else in it goes through convert itself.
 */
function widthsArray(widths: unknown[], convert: (value: unknown) => string): string {
  let text = '[';
  for (let i = 0; i < widths.length; i++) {
    const e = widths[i];
    if (i > 0) text += ' ';
    if (typeof e === 'number') text += `${e}`;
    else if (Array.isArray(e) && e.length === 1 && typeof e[0] === 'number') text += `[${e[0]}]`;
    else text += convert(e);
  }
  return `${text}]`;
}

/** jsPDF's toUnicodeCmap (utf8 module), the same text. */
function toUnicodeCmap(map: Record<number, number>): string {
  let text =
    '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <<\n  /Registry (Adobe)\n  /Ordering (UCS)\n  /Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000><ffff>\nendcodespacerange';
  const codes = Object.keys(map).sort((a, b) => Number(a) - Number(b));
  let range: string[] = [];
  for (const code of codes) {
    if (range.length >= 100) {
      text += `\n${range.length} beginbfchar\n${range.join('\n')}\nendbfchar`;
      range = [];
    }
    const unicode = map[code as unknown as number];
    if (unicode !== undefined && unicode !== null && typeof unicode.toString === 'function')
      range.push(`<${`0000${(+code).toString(16)}`.slice(-4)}><${`0000${unicode.toString(16)}`.slice(-4)}>`);
  }
  if (range.length) text += `\n${range.length} beginbfchar\n${range.join('\n')}\nendbfchar\n`;
  return `${text}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`;
}

/**
 * jsPDF writes an embedded (Identity-H) font as five objects: the subset program, its ToUnicode
 * map, the descriptor, the CID font with its widths, the Type0 font. Its handler copies the program
 * into a string byte by byte with `+=` for every document; this one writes the same objects, the
 * same bytes, with the program's string made once per subset (which section 2 keeps). It replaces
 * jsPDF's handler in the list new documents subscribe from (recognised by what it does: the one that
 * tests for Identity-H and encodes the subset); fonts it does not cover (a name to escape) go to
 * jsPDF's handler. Installed once.
 */
export function putFontsFaster(): void {
  const api = jsPDF as unknown as {
    API: {
      events: [string, PutFont & { [FAST_PUT_FONT]?: true }][];
      TTFFont: new (...args: unknown[]) => object;
      PDFObject: { convert(value: unknown): string };
    };
  };
  const { events } = api.API;
  if (events.some(([name, f]) => name === 'putFont' && f[FAST_PUT_FONT])) return;
  const at = events.findIndex(
    ([name, f]) => name === 'putFont' && /Identity-H/.test(String(f)) && /subset\.encode/.test(String(f)),
  );
  if (at < 0) return;
  const original = events[at]![1];
  const fast: PutFont & { [FAST_PUT_FONT]?: true } = (args) => {
    const { font, out, newObject, putStream } = args;
    const m = font.metadata;
    if (!(m instanceof api.API.TTFFont) || font.encoding !== 'Identity-H') return;
    if (!PLAIN_NAME.test(font.fontName)) return original(args);
    const convert = api.API.PDFObject.convert;
    const name = font.fontName;
    const program = m.subset.encode(m.glyIdsUsed, 1);
    const fontTable = newObject();
    putStream({ data: binaryString(program), addLength1: true, objectId: fontTable });
    out('endobj');
    const cmap = newObject();
    putStream({ data: toUnicodeCmap(m.toUnicode), addLength1: true, objectId: cmap });
    out('endobj');
    const descriptor = newObject();
    out('<<');
    out('/Type /FontDescriptor');
    out(`/FontName /${name}`);
    out(`/FontFile2 ${fontTable} 0 R`);
    out(`/FontBBox ${convert(m.bbox)}`);
    out(`/Flags ${m.flags}`);
    out(`/StemV ${m.stemV}`);
    out(`/ItalicAngle ${m.italicAngle}`);
    out(`/Ascent ${m.ascender}`);
    out(`/Descent ${m.decender}`);
    out(`/CapHeight ${m.capHeight}`);
    out('>>');
    out('endobj');
    const descendant = newObject();
    out('<<');
    out('/Type /Font');
    out(`/BaseFont /${name}`);
    out(`/FontDescriptor ${descriptor} 0 R`);
    out(`/W ${widthsArray(m.Unicode.widths, convert)}`);
    out('/CIDToGIDMap /Identity');
    out('/DW 1000');
    out('/Subtype /CIDFontType2');
    out('/CIDSystemInfo');
    out('<<');
    out('/Supplement 0');
    out('/Registry (Adobe)');
    out(`/Ordering (${font.encoding})`);
    out('>>');
    out('>>');
    out('endobj');
    font.objectNumber = newObject();
    out('<<');
    out('/Type /Font');
    out('/Subtype /Type0');
    out(`/ToUnicode ${cmap} 0 R`);
    out(`/BaseFont /${name}`);
    out(`/Encoding /${font.encoding}`);
    out(`/DescendantFonts [${descendant} 0 R]`);
    out('>>');
    out('endobj');
    font.isAlreadyPutted = true;
  };
  fast[FAST_PUT_FONT] = true;
  events[at] = ['putFont', fast];
}
