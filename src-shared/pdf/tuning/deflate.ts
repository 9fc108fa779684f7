// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 3. Compression. Streams are deflated by fflate in JavaScript after a byte-by-byte string copy and
//    copied back the same way; where the host has a native deflate (Node's zlib) it is used instead.
//    A font's streams (its subset program, its ToUnicode map) are kept deflated, the last few.
import { jsPDF } from 'jspdf';

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
