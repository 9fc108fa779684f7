// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 8. The embedded font's objects written from the kept subset, not copied into a string byte by byte.
import { jsPDF } from 'jspdf';
import type { SubsetLike } from './font-parsing';

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
