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

/** The fonts a PDF uses, as poppler's pdffonts lists them: name, type and whether embedded. */
export function pdfFonts(bytes: Uint8Array): { name: string; type: string; embedded: boolean }[] {
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2);
    return lines
      .filter((line) => line.trim())
      .map((line) => {
        const match = /^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(line);
        if (!match) throw new Error(`pdffonts: ${line}`);
        return { name: match[1]!, type: match[2]!, embedded: match[4] === 'yes' };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
