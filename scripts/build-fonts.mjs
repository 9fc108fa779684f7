// Subsets DejaVu Sans (normal and bold) to whole Unicode blocks for the statement PDFs and writes
// them to resources/fonts/. jsPDF parses and embeds the TTF it is given on every document, so the
// full 750 KB face costs ≈ 65 ms and ≈ 110 KB per page; these ≈ 90 KB subsets keep a breakdown
// near 10 ms and 25 KB. It runs at install (`npm ci` runs the `prepare` script) and by hand with
// `npm run fonts`; the output (byte-for-byte reproducible) is not committed. electron-builder copies
// resources/fonts into the package; `--check` verifies the files there are current.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import subsetFont from 'subset-font';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const sourceDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const outDir = join(root, 'resources', 'fonts');

/** Whole blocks: text never needs a character outside them, and what is outside is mapped before drawing. */
export const BLOCKS = [
  [0x0020, 0x00ff], // Basic Latin + Latin-1 (« » · NBSP)
  [0x0400, 0x04ff], // Cyrillic, Kazakh letters included (ә ғ қ ң ө ұ ү һ і)
  [0x2000, 0x206f], // General Punctuation (— – … ‰ NNBSP)
  [0x2070, 0x209f], // superscripts and subscripts (м³ uses U+00B3, but ⁰⁴… live here)
  [0x20a0, 0x20cf], // currency (₸ U+20B8, ₽, €)
  [0x2100, 0x214f], // letterlike (№ U+2116)
];
/** Single characters outside those blocks that our own formatting emits. */
export const EXTRA = [
  0x2212, // − minus sign: formatTiyn and formatCubicMetres write negative sums with it
];

export const FACES = [
  { source: 'DejaVuSans.ttf', target: 'DejaVuSans-subset.ttf' },
  { source: 'DejaVuSans-Bold.ttf', target: 'DejaVuSans-Bold-subset.ttf' },
];

function repertoireText() {
  let text = '';
  for (const [from, to] of BLOCKS) for (let c = from; c <= to; c++) text += String.fromCodePoint(c);
  for (const c of EXTRA) text += String.fromCodePoint(c);
  return text;
}

async function main() {
  const check = process.argv.includes('--check');
  const text = repertoireText();
  mkdirSync(outDir, { recursive: true });
  let stale = 0;
  for (const face of FACES) {
    // No hinting: PDFs are scaled, not rasterised at small pixel sizes, and the hinting tables are a third
    // of the face that jsPDF would re-encode into every document.
    const subset = await subsetFont(readFileSync(join(sourceDir, face.source)), text, {
      targetFormat: 'truetype',
      noHinting: true,
    });
    const target = join(outDir, face.target);
    if (check) {
      let current;
      try {
        current = readFileSync(target);
      } catch {
        current = Buffer.alloc(0);
      }
      if (!current.equals(subset)) {
        stale++;
        process.stderr.write(`${face.target} is out of date: run node scripts/build-fonts.mjs\n`);
      }
    } else {
      writeFileSync(target, subset);
      process.stdout.write(`${face.target}: ${subset.length} bytes\n`);
    }
  }
  if (stale) process.exit(1);
}

await main();
