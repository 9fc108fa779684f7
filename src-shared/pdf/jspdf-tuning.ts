// Three costs jsPDF pays again for every document, each removed here once per process (the PDF tests
// check the text of every document still comes out, the benchmark measures what it saved):
//
// 1. Font directory. jsPDF re-encodes the embedded font for every document (it subsets the glyphs
//    the page used). Its TrueType writer joins the font's tables by `Array.concat` of plain byte
//    arrays, copying everything written so far once per table, and checksums through another full
//    copy: for our ~65 KB faces that was most of a breakdown's render time. Swapped for the same
//    algorithm over one preallocated Uint8Array (byte-for-byte the same output), on the prototype.
// 2. Font parsing. `addFont` parses the whole TrueType file (cmap, metrics, glyph offsets) for each
//    document. The parse is read-only afterwards, so it is kept per file and each document gets a
//    view of it with its own per-document state (the glyph → character map its text fills).
// 3. Compression. Streams are deflated by fflate in JavaScript after a byte-by-byte string copy and
//    copied back the same way; where the host has a native deflate (Node's zlib) it is used instead.
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

/** Makes jsPDF parse each font file once per process (installed once; see the note on top). */
export function shareFontParsing(): void {
  const ttf = (jsPDF as unknown as { API: { TTFFont: TtfStatic & { [SHARED]?: boolean } } }).API.TTFFont;
  if (ttf[SHARED]) return;
  const open = ttf.open.bind(ttf);
  const parsed: { bytes: Uint8Array; font: object }[] = [];
  ttf.open = (file: Uint8Array) => {
    let entry = parsed.find((e) => sameBytes(e.bytes, file));
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
