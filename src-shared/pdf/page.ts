// What every page and file of a statement shares: the A4 page and its margins, the colours, the
// document's meta, a customer's section of a batch file, and the file id that makes the same
// statement the same bytes.
import type { PdfLabels } from './labels';

export const PAGE = {
  width: 210,
  height: 297,
  marginX: 15,
  /** top of continuation pages: room for the running head */
  marginTop: 17,
  /** room for the footer */
  marginBottom: 17,
} as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.marginX;

export const INK: [number, number, number] = [33, 33, 33];
export const MUTED: [number, number, number] = [100, 100, 100];
export const RULE: [number, number, number] = [170, 170, 170];
export const HEAD_FILL: [number, number, number] = [229, 236, 243];
export const TOTAL_FILL: [number, number, number] = [245, 245, 245];

export interface PdfMeta {
  title: string;
  subject: string;
  printedAt: Date;
  accountNumber: string;
}

/** One customer's document inside the file: its first page, words and running title. */
export interface Section {
  firstPage: number;
  labels: PdfLabels;
  meta: PdfMeta;
  runningTitle: string;
}

/** A 32-hex-digit file id derived from the document's identity (FNV-1a, repeated for width). */
export function fileIdOf(text: string): string {
  let out = '';
  for (let round = 0; round < 4; round++) {
    let hash = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    out += hash.toString(16).padStart(8, '0');
  }
  return out.toUpperCase();
}
