// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 4. Arabic shaping. Every string measured or drawn goes through jsPDF's Arabic shaper; it is skipped
//    for text without Hebrew or Arabic letters, which it would give back unchanged.
import { jsPDF } from 'jspdf';

const SKIP_SHAPING = Symbol.for('aquadesk.arabicOnlyWhereArabic');
/** Hebrew, Arabic and their presentation forms: text with none of them is left as it is by the shaper. */
export const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
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
