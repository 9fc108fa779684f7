// Text of a PDF as a reader sees it, through poppler's pdftotext (Debian: poppler-utils).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function pdfText(bytes: Uint8Array, layout = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfPages(bytes: Uint8Array): number {
  return pdfText(bytes)
    .split('\f')
    .filter((page) => page.trim()).length;
}
