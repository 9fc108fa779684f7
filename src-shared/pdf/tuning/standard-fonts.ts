// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 11. The fourteen standard fonts left out of a statement's file. Every jsPDF document registers
//     Helvetica, Times, Courier (four faces each), Symbol and ZapfDingbats, and writes an object and a
//     resource entry for each into the file, used or not. A statement draws every character in its
//     embedded DejaVu Sans (the text sanitizer maps whatever it lacks to a fallback character), so
//     those are fourteen dead objects built, numbered and written per document (~2 KB a file).
//     `dropStandardFonts` takes them out of a finished document just before its file is built. Only
//     then: jsPDF's UTF-8 plugin takes any font numbered below F14 for a standard one, so the
//     embedded faces keep their numbers (/F15, /F16) and the fonts stay registered while drawing.
//     This one changes the bytes: the file has no standard font objects.
import { jsPDF } from 'jspdf';

type Subscription = [topic: string, handler: (this: object, payload: unknown) => unknown];
const INSTALLED = Symbol.for('aquadesk.standardFontsKnown');
/** Each document's font table (jsPDF's own, announced with its `addFonts` event). */
const fontTables = new WeakMap<object, Record<string, { isStandardFont?: boolean }>>();

/** Has every later `new jsPDF` hand over its font table (once per process). */
export function knowStandardFonts(): void {
  const api = (jsPDF as unknown as { API: { events: Subscription[]; [INSTALLED]?: true } }).API;
  if (api[INSTALLED]) return;
  api.events.push([
    'addFonts',
    function (this: object, payload: unknown) {
      const fonts = (payload as { fonts?: Record<string, { isStandardFont?: boolean }> }).fonts;
      if (fonts) fontTables.set(this, fonts);
    },
  ]);
  api[INSTALLED] = true;
}

/** Takes the standard fonts out of a document about to be output (it draws nothing more). */
export function dropStandardFonts(doc: jsPDF): void {
  const fonts = fontTables.get(doc);
  if (!fonts) return;
  for (const key of Object.keys(fonts)) if (fonts[key]?.isStandardFont) delete fonts[key];
}
