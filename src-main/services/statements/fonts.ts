// The PDF fonts of the desk's documents (statements, debt notices): found in an override folder, the
// packaged app's resources or the source tree, read and prepared once per process.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { FONT_FILES, type PdfFonts } from '../../../src-shared/pdf';
import { readPdfFonts } from '../../../src-shared/node/pdf-fonts';

/** Where the subset fonts are: an override, the packaged app's resources, or the source tree. */
export function fontDirectoryCandidates(): string[] {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  return [
    process.env.AQUADESK_FONTS_DIR,
    resourcesPath ? join(resourcesPath, 'fonts') : undefined,
    resolve(import.meta.dirname ?? '.', '../../resources/fonts'), // src-main/services or out/main
    resolve(process.cwd(), 'resources/fonts'),
  ].filter((dir): dir is string => Boolean(dir));
}

let cachedFonts: PdfFonts | undefined;

/** The PDF fonts, read and prepared once per process. */
export function loadStatementFonts(): PdfFonts {
  if (cachedFonts) return cachedFonts;
  const dir = fontDirectoryCandidates().find(
    (d) => existsSync(join(d, FONT_FILES.normal)) && existsSync(join(d, FONT_FILES.bold)),
  );
  if (!dir) {
    throw new AppError(
      'INTERNAL',
      `The PDF fonts (${FONT_FILES.normal}, ${FONT_FILES.bold}) were not found; run node scripts/build-fonts.mjs`,
    );
  }
  cachedFonts = readPdfFonts(dir);
  return cachedFonts;
}
