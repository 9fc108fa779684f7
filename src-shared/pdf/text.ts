// jsPDF silently drops the rest of a line at the first character the embedded font lacks (seen: a
// '·' cut an owner's name and address in half). Every string is therefore mapped to the font's
// repertoire before it is drawn: a look-alike where one exists, else a visible '?'.

export const FALLBACK_CHARACTER = '?';

/** Look-alikes for characters people paste from elsewhere; used only when the font lacks the original. */
const LOOK_ALIKES: Record<string, string> = {
  '\u2212': '-', // minus sign
  '\u2010': '-',
  '\u2011': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2116': 'N',
  '\u20b8': 'KZT',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\t': ' ',
};

/** Invisible characters that carry nothing on paper (variation selectors, BOM, zero-width joiners). */
function isInvisible(cp: number): boolean {
  return (
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0x200b ||
    cp === 0x200c ||
    cp === 0x200d ||
    cp === 0x2060 ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

export type TextSanitizer = (text: string) => string;

/** A function mapping any text to characters `repertoire` can draw (newlines kept for line breaks). */
export function makeSanitizer(repertoire: ReadonlySet<number>): TextSanitizer {
  const cache = new Map<string, string>();
  return (text) => {
    const cached = cache.get(text);
    if (cached !== undefined) return cached;
    let out = '';
    // NFC first: 'й' typed as 'и' + combining breve is one character the font has.
    for (const ch of text.normalize('NFC')) {
      const cp = ch.codePointAt(0)!;
      if (ch === '\n' || repertoire.has(cp)) {
        out += ch;
        continue;
      }
      const alike = LOOK_ALIKES[ch];
      if (alike !== undefined && [...alike].every((c) => repertoire.has(c.codePointAt(0)!))) out += alike;
      else if (!isInvisible(cp) && cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0)) out += FALLBACK_CHARACTER;
    }
    if (cache.size < 4096) cache.set(text, out);
    return out;
  };
}
