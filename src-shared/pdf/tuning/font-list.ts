// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 5. The font list jspdf-autotable asks for at every cell, kept per document.
import type { jsPDF } from 'jspdf';

/**
 * jspdf-autotable asks the document for its whole font list (every standard face and ours, built
 * anew) each time it applies a cell's style; the list changes only when a font is added. Kept per
 * document, made again after an `addFont`.
 */
export function keepFontList(doc: jsPDF): void {
  const api = doc as unknown as {
    getFontList(): Record<string, string[]>;
    addFont(...args: unknown[]): string;
  };
  const build = api.getFontList.bind(doc);
  const add = api.addFont.bind(doc);
  let list: Record<string, string[]> | null = null;
  api.getFontList = () => (list ??= build());
  api.addFont = (...args: unknown[]) => {
    list = null;
    return add(...args);
  };
}
