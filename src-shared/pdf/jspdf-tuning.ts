// Four costs jsPDF pays again for every document, each removed here once per process (the PDF tests
// check the text of every document still comes out, the benchmark measures what it saved):
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
// 3. Compression. Streams are deflated by fflate in JavaScript after a byte-by-byte string copy and
//    copied back the same way; where the host has a native deflate (Node's zlib) it is used instead.
// 4. Arabic shaping. Every string measured or drawn goes through jsPDF's Arabic shaper; it is skipped
//    for text without Hebrew or Arabic letters, which it would give back unchanged.
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

// ---------- 3. native deflate ----------

/** Deflates a binary string (one char per byte) into a zlib stream, as a binary string. */
export type BinaryDeflate = (data: string) => string;
type Filters = (data: string, chain?: string | string[]) => { data: string; reverseChain: string };
const DEFLATE = Symbol.for('aquadesk.nativeDeflate');

/** Routes jsPDF's FlateEncode (its only filter we use) through `deflate`; other chains as before. */
export function useDeflate(deflate: BinaryDeflate): void {
  const api = (jsPDF as unknown as { API: { processDataByFilters: Filters & { [DEFLATE]?: BinaryDeflate } } }).API;
  const current = api.processDataByFilters;
  if (current[DEFLATE]) {
    current[DEFLATE] = deflate;
    return;
  }
  const patched: Filters & { [DEFLATE]?: BinaryDeflate } = (data, chain) => {
    const only = Array.isArray(chain) ? (chain.length === 1 ? chain[0] : undefined) : chain;
    if (only === 'FlateEncode' || only === '/FlateEncode')
      return { data: patched[DEFLATE]!(data ?? ''), reverseChain: '/FlateDecode' };
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
