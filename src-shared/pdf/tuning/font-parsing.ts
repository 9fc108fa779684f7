// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 2. Font parsing. `addFont` decodes the font's base64 and parses the whole TrueType file (cmap,
//    metrics, glyph offsets) for each document. The parse is read-only afterwards, so it is kept per
//    file and each document gets a view of it with its own per-document state (the glyph → character
//    map its text fills); a document registers a short stand-in for the file instead of its base64.
//    The subset of a parse to a set of glyphs is kept too (the last few sets).
import { jsPDF } from 'jspdf';

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
export interface SubsetLike {
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
