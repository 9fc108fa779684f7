// Part of the jsPDF tuning (see ./index.ts: what it removes, and the bytes it writes unchanged).
//
// 10. Rectangles and line widths written as the operators jsPDF writes. A table cell is a rectangle
//     and a line width (jspdf-autotable, and table-draw.ts after it, set the width again for every
//     cell): jsPDF rounds each number through a regular expression and joins an array for every
//     rectangle. For what statements draw — numbers, a stroke, a fill or both, the default (compat)
//     API — the same text is written here; anything else goes to jsPDF as before. Per document.
import type { jsPDF } from 'jspdf';
import { hpf } from './plain-text';

interface PathDoc {
  rect(x: unknown, y: unknown, w: unknown, h: unknown, style?: unknown): unknown;
  setLineWidth(width: unknown): unknown;
  isAdvancedAPI(): boolean;
  internal: {
    scaleFactor: number;
    pageSize: { getHeight(): number };
    out(text: string): unknown;
  };
}

/** jsPDF's getStyle for the styles written here (the path-painting operator after `re`). */
const PAINT: Record<string, string> = { S: 'S', D: 'S', F: 'f', DF: 'B', FD: 'B' };

const isNumber = (n: unknown): n is number => typeof n === 'number' && !Number.isNaN(n);

export function writePathsDirectly(doc: jsPDF): void {
  const d = doc as unknown as PathDoc;
  const { internal } = d;
  const k = internal.scaleFactor;
  const rect = d.rect.bind(d);
  const setLineWidth = d.setLineWidth.bind(d);
  // jsPDF's `x y w h re` with h negated (compat API), y from the top of the current page.
  d.rect = function (x, y, w, h, style) {
    const paint = typeof style === 'string' ? PAINT[style] : undefined;
    if (
      arguments.length !== 5 ||
      paint === undefined ||
      !isNumber(x) ||
      !isNumber(y) ||
      !isNumber(w) ||
      !isNumber(h) ||
      d.isAdvancedAPI()
    )
      return rect(x, y, w, h, style);
    internal.out(`${hpf(x * k)} ${hpf((internal.pageSize.getHeight() - y) * k)} ${hpf(w * k)} ${hpf(-h * k)} re`);
    internal.out(paint);
    return d;
  };
  // The width jsPDF keeps is the last one set; setting the same again only writes its operator.
  let width: number | null = null;
  let operator = '';
  d.setLineWidth = (w) => {
    if (!isNumber(w) || d.isAdvancedAPI()) {
      width = null;
      return setLineWidth(w);
    }
    if (w === width) internal.out(operator);
    else {
      setLineWidth(w);
      width = w;
      operator = `${hpf(w * k)} w`;
    }
    return d;
  };
}
