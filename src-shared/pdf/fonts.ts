// The PDF font: DejaVu Sans (Cyrillic, Kazakh letters, ₸, №, m³), subset at build time to whole
// Unicode blocks (scripts/build-fonts.mjs → resources/fonts/). It is registered as normal AND bold:
// a family without a bold face makes jspdf-autotable's bold header fall back to Helvetica, which
// has no Cyrillic and prints garbage. Callers load the bytes (Node: fs; tests: the same files).
import type { jsPDF } from 'jspdf';
import { bytesToBase64 } from './base64';
import { fontRepertoire } from './cmap';
import {
  fontFileToken,
  isFontFileToken,
  keepFontList,
  knowStandardFonts,
  measureTextOnce,
  putFontsFaster,
  shapeOnlyArabicText,
  shareFontParsing,
  shortcuts,
  skipCanvasContext,
  useDeflate,
  useFastFontEncoding,
  writePathsDirectly,
  writePlainText,
  type BinaryDeflate,
} from './tuning';
import { makeSanitizer, type TextSanitizer } from './text';

export const FONT_FAMILY = 'DejaVuSans';
export const FONT_FILES = { normal: 'DejaVuSans-subset.ttf', bold: 'DejaVuSans-Bold-subset.ttf' } as const;

export interface PdfFontFiles {
  normal: Uint8Array;
  bold: Uint8Array;
}

/** Fonts ready for many documents: encoded once, with the text mapping both faces can draw. */
export interface PdfFonts {
  normalBase64: string;
  boldBase64: string;
  /** the files as this thread's documents register them (tuning/font-parsing.ts: resolved to one parse each) */
  normalFile?: string;
  boldFile?: string;
  /** code points both faces draw */
  repertoire: ReadonlySet<number>;
  sanitize: TextSanitizer;
  /** the host's native deflate for the PDF's streams (Node: zlib; see src-shared/node/pdf-fonts.ts) */
  deflate?: BinaryDeflate;
  /** the host's native copy of the finished file (one char a byte) into bytes (Node: Buffer's latin1) */
  bytes?: BinaryBytes;
}

/** A binary string (one char per byte) as bytes. */
export type BinaryBytes = (data: string) => Uint8Array;

export function preparePdfFonts(
  files: PdfFontFiles,
  options: { deflate?: BinaryDeflate; bytes?: BinaryBytes } = {},
): PdfFonts {
  const normal = fontRepertoire(files.normal);
  const bold = fontRepertoire(files.bold);
  const repertoire = new Set([...normal].filter((cp) => bold.has(cp)));
  return {
    normalBase64: bytesToBase64(files.normal),
    boldBase64: bytesToBase64(files.bold),
    normalFile: fontFileToken(files.normal),
    boldFile: fontFileToken(files.bold),
    repertoire,
    sanitize: makeSanitizer(repertoire),
    ...(options.deflate ? { deflate: options.deflate } : {}),
    ...(options.bytes ? { bytes: options.bytes } : {}),
  };
}

/**
 * What tuning/ changes in jsPDF itself, once per process (each step checks it is not yet
 * installed). Before the first `new jsPDF`: a document copies the plugin methods it is made with.
 */
export function tuneJsPdf(fonts: PdfFonts): void {
  shareFontParsing();
  shapeOnlyArabicText();
  measureTextOnce();
  putFontsFaster();
  skipCanvasContext();
  knowStandardFonts();
  if (fonts.deflate) useDeflate(fonts.deflate);
}

export function registerFonts(doc: jsPDF, fonts: PdfFonts): void {
  tuneJsPdf(fonts);
  // The stand-ins only where this thread made them (fonts passed from another thread bring their base64).
  const file = (token: string | undefined, base64: string) => (token && isFontFileToken(token) ? token : base64);
  doc.addFileToVFS(FONT_FILES.normal, file(fonts.normalFile, fonts.normalBase64));
  doc.addFont(FONT_FILES.normal, FONT_FAMILY, 'normal');
  doc.addFileToVFS(FONT_FILES.bold, file(fonts.boldFile, fonts.boldBase64));
  doc.addFont(FONT_FILES.bold, FONT_FAMILY, 'bold');
  doc.setFont(FONT_FAMILY, 'normal');
  useFastFontEncoding(doc, FONT_FAMILY, 'normal');
  keepFontList(doc);
  if (shortcuts.plainText) writePlainText(doc);
  if (shortcuts.paths) writePathsDirectly(doc);
}
