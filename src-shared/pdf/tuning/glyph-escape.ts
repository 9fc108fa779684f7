// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 7. Plain text written as the operators `text()` writes (plain-text.ts): its glyphs encoded here,
//    as jsPDF's pdfEscape16 encodes them.

export interface GlyphFont {
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
export function escape16(text: string, font: GlyphFont): string {
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
