// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 7. Plain text written as the operators `text()` writes (plain-text.ts): its glyphs encoded here,
//    as jsPDF's UTF-8 escape and pdfEscape16 encode them.

export interface GlyphFont {
  metadata: {
    Unicode: { widths: (number | number[])[] };
    glyIdsUsed: number[];
    toUnicode: Record<number, number>;
    characterToGlyph(code: number): number;
    widthOfGlyph(glyph: number): number;
    cmap: { unicode?: { codeMap: Record<number, number> } };
  };
}
/** Per document and face: the glyphs already in its /W list and its glyph list. */
interface GlyphState {
  widths: Set<number>;
  widthsLength: number;
  used: Set<number>;
  usedLength: number;
}
/**
 * A line as the font encodes it: its glyphs in hex, and what drawing it records in the document's
 * font — each glyph once, in the order first drawn, with the character it stands for (the last one,
 * when several share a glyph) and its width.
 */
interface EncodedLine {
  hex: string;
  glyphs: number[];
  codes: number[];
  widths: number[];
}
const glyphStates = new WeakMap<object, GlyphState>();
const HEX4 = ['', '0', '00', '000', '0000'];
/** A glyph id as pdfEscape16 writes it (4 hex digits), by id. */
const HEX: string[] = [];
/** Lines already encoded, per parsed font (by its cmap table, which every document's copy shares). */
const linesOf = new WeakMap<object, Map<string, EncodedLine>>();
/** Started afresh when this large. */
const MAX_LINES = 20_000;

function hexOf(glyph: number): string {
  let hex = HEX[glyph];
  if (hex === undefined) {
    const digits = glyph.toString(16);
    HEX[glyph] = hex = HEX4[4 - digits.length]! + digits;
  }
  return hex;
}

/**
 * What jsPDF's UTF-8 escape keeps of a line (the characters the font maps, and those below 256),
 * encoded as pdfEscape16 encodes it: glyph after glyph, up to glyph 0, which ends the string.
 */
function encodeLine(line: string, m: GlyphFont['metadata']): EncodedLine {
  const codeMap = m.cmap.unicode!.codeMap;
  const encoded: EncodedLine = { hex: '', glyphs: [], codes: [], widths: [] };
  const at = new Map<number, number>();
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (!codeMap[code] && code >= 256) continue;
    const glyph = m.characterToGlyph(code);
    const known = at.get(glyph);
    if (known === undefined) {
      at.set(glyph, encoded.glyphs.length);
      encoded.glyphs.push(glyph);
      encoded.codes.push(code);
      encoded.widths.push(parseInt(String(m.widthOfGlyph(glyph)), 10));
    } else encoded.codes[known] = code;
    if (glyph === 0) break;
    encoded.hex += hexOf(glyph);
  }
  return encoded;
}

/**
 * jsPDF's UTF-8 escape and pdfEscape16 of one line of text in an embedded (Identity-H) font, with
 * the same results and side effects — each glyph recorded in the face's glyph list, its character
 * in the ToUnicode map, its width appended to /W the first time — without their work per
 * character: a line is encoded once per parsed font (statements draw the same headings, labels and
 * sums again and again), and only its distinct glyphs are recorded in each document, each looked up
 * in a set rather than by jsPDF's linear search of the /W list. Lists changed elsewhere (jsPDF
 * drawing some text itself) are read again before use.
 */
export function escapeLine(line: string, font: GlyphFont): string {
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
  let lines = linesOf.get(m.cmap);
  if (!lines || lines.size >= MAX_LINES) linesOf.set(m.cmap, (lines = new Map()));
  let encoded = lines.get(line);
  if (encoded === undefined) lines.set(line, (encoded = encodeLine(line, m)));
  const { glyphs, codes } = encoded;
  for (let i = 0; i < glyphs.length; i++) {
    const t = glyphs[i]!;
    if (!state.used.has(t)) {
      state.used.add(t);
      m.glyIdsUsed.push(t);
      state.usedLength++;
    }
    if (m.toUnicode[t] !== codes[i]) m.toUnicode[t] = codes[i]!;
    if (!state.widths.has(t)) {
      state.widths.add(t);
      widths.push(t);
      widths.push([encoded.widths[i]!]);
      state.widthsLength += 2;
    }
  }
  return encoded.hex;
}
