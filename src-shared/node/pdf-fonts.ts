// The statement PDFs' fonts read from a folder (resources/fonts, built by scripts/build-fonts.mjs),
// with Node's native zlib for the PDF's streams and Buffer for its bytes: the desktop and the central service call this, so
// both render the same bytes. Node only (node:fs, node:zlib).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { FONT_FILES, preparePdfFonts, type PdfFonts } from '../pdf';

/** zlib over a binary string, without a byte-by-byte copy either way. */
export function nativeDeflate(data: string): string {
  return deflateSync(Buffer.from(data, 'latin1')).toString('latin1');
}

/**
 * A binary string as bytes of their own (not a view into Buffer's shared pool, so a caller may
 * transfer them to another thread).
 */
export function nativeBytes(data: string): Uint8Array {
  const buffer = Buffer.from(data, 'latin1');
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length)
    return new Uint8Array(buffer.buffer, 0, buffer.length);
  return new Uint8Array(buffer);
}

export function readPdfFonts(dir: string): PdfFonts {
  return preparePdfFonts(
    {
      normal: new Uint8Array(readFileSync(join(dir, FONT_FILES.normal))),
      bold: new Uint8Array(readFileSync(join(dir, FONT_FILES.bold))),
    },
    { deflate: nativeDeflate, bytes: nativeBytes },
  );
}
