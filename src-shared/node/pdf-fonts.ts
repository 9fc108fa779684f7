// The statement PDFs' fonts read from a folder (resources/fonts, built by scripts/build-fonts.mjs),
// with Node's native zlib for the PDF's streams: the desktop and the central service call this, so
// both render the same bytes. Node only (node:fs, node:zlib).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { FONT_FILES, preparePdfFonts, type PdfFonts } from '../pdf';

/** zlib over a binary string, without a byte-by-byte copy either way. */
export function nativeDeflate(data: string): string {
  return deflateSync(Buffer.from(data, 'latin1')).toString('latin1');
}

export function readPdfFonts(dir: string): PdfFonts {
  return preparePdfFonts(
    {
      normal: new Uint8Array(readFileSync(join(dir, FONT_FILES.normal))),
      bold: new Uint8Array(readFileSync(join(dir, FONT_FILES.bold))),
    },
    { deflate: nativeDeflate },
  );
}
