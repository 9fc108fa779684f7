// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 1. Font directory. jsPDF re-encodes the embedded font for every document (it subsets the glyphs
//    the page used). Its TrueType writer joins the font's tables by `Array.concat` of plain byte
//    arrays, copying everything written so far once per table, and checksums through another full
//    copy: for our ~65 KB faces that was most of a breakdown's render time. Swapped for the same
//    algorithm over one preallocated Uint8Array (byte-for-byte the same output), on the prototype.
import type { jsPDF } from 'jspdf';

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
