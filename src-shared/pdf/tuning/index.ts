// Costs jsPDF pays again for every document, each removed here once per process or per document,
// the bytes it writes unchanged (the PDF tests compare bytes; the benchmark measures what it saved)
// — except 11, which leaves fourteen unused objects out of the file.
// One module per patch, each with its note on top:
//
// 1. Font directory: font-directory.ts
// 2. Font parsing: font-parsing.ts
// 3. Compression: deflate.ts
// 4. Arabic shaping: arabic-shaping.ts
// 5. The font list jspdf-autotable asks for at every cell: font-list.ts
// 6. Text widths and wrapping: text-measure.ts
// 7. Plain text and colours: plain-text.ts (its glyph encoding: glyph-escape.ts)
// 8. The embedded font's objects: font-objects.ts
// 9. How long a finished document stays in memory (the canvas plugin, releasing a document): document-lifetime.ts
// 10. Rectangles and line widths: paths.ts
// 11. The standard fonts no statement uses: standard-fonts.ts
//
// Importing them installs nothing: ../fonts.ts installs them (tuneJsPdf, registerFonts), in its order.
export { useFastFontEncoding } from './font-directory';
export { fontFileToken, isFontFileToken, shareFontParsing } from './font-parsing';
export { useDeflate, type BinaryDeflate } from './deflate';
export { shapeOnlyArabicText } from './arabic-shaping';
export { keepFontList } from './font-list';
export { keptBySize, measureTextOnce, type BySize } from './text-measure';
export { shortcuts, writePlainText } from './plain-text';
export { putFontsFaster } from './font-objects';
export { releaseDocument, skipCanvasContext } from './document-lifetime';
export { writePathsDirectly } from './paths';
export { dropStandardFonts, knowStandardFonts } from './standard-fonts';
