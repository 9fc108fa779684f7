// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 9. How long a finished document stays in memory. jsPDF gives every document classes and accessor
//    properties of its own (its Matrix and identity matrix, `internal.pages`, the page size's
//    width/height, and — through the context2d plugin — a canvas-like 2D context defining some fifty
//    accessors on itself, with a Matrix and Points of the document's own classes). V8 keeps the hidden
//    classes and descriptor arrays those create in its old generation, and its young-generation
//    collector (the scavenge) takes everything they point at as alive: the accessor's closure, hence
//    the whole document. So every document rendered since the last full collection — its page
//    contents, the file's pieces, ~220 KB each — was copied by every scavenge: 2.4 MB and a 5–7 ms
//    pause every tenth document or so, which is what the slowest 5 % of renders were waiting for
//    (`npm run bench -- pdf`, node --trace-gc-nvp). Two things here make those copies small:
//    - the context2d plugin is not set up for our documents: statements never draw through a canvas
//      (`doc.context2d`, `doc.html()`), and it also kept the last document in its module's scope;
//    - `releaseDocument` empties a document's page contents and its output buffer once its bytes are
//      out, so what a scavenge still copies is the document's small shell.
// Neither changes a byte of any PDF (the PDF tests compare bytes).
import { jsPDF } from 'jspdf';

type Subscription = [topic: string, handler: (...args: unknown[]) => unknown];
const DROPPED = Symbol.for('aquadesk.noCanvasContext');

/** Leaves the context2d plugin's per-document setup out of every later `new jsPDF` (once per process). */
export function skipCanvasContext(): void {
  const api = (jsPDF as unknown as { API: { events: Subscription[]; [DROPPED]?: true } }).API;
  if (api[DROPPED]) return;
  const events = api.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const [topic, handler] = events[i]!;
    if (topic === 'initialized' && /\bthis\.context2d\s*=/.test(String(handler))) events.splice(i, 1);
  }
  api[DROPPED] = true;
}

interface Releasable {
  internal: {
    pages: unknown[][] | undefined;
    getFont(name: string, style: string): { metadata?: unknown } | undefined;
  };
  getFontList(): Record<string, string[]>;
  __private__: { out(text: string): unknown[]; resetCustomOutputDestination(): void };
}

/**
 * Empties a finished document: its pages' operators, the pieces its file was built from, and its
 * fonts' per-document state (the glyphs it drew, their widths and characters). Only after `output()`;
 * the document cannot be drawn on or output again.
 */
export function releaseDocument(doc: jsPDF): void {
  const d = doc as unknown as Releasable;
  const pages = d.internal.pages;
  if (Array.isArray(pages)) for (const page of pages) if (Array.isArray(page)) page.length = 0;
  // The pieces the file was joined from stay in jsPDF's `content` until the next build. Pointing the
  // output back at it (the document draws no more) and writing nothing hands us that array.
  d.__private__.resetCustomOutputDestination();
  const built = d.__private__.out('');
  if (Array.isArray(built)) built.length = 0;
  // Each document has its own font entries (an embedded face's metadata is this document's copy of the
  // shared parse, holding what it drew; tuning/font-parsing.ts).
  const list = d.getFontList();
  for (const name of Object.keys(list))
    for (const style of list[name] ?? []) {
      const font = d.internal.getFont(name, style);
      if (font) font.metadata = undefined;
    }
}
