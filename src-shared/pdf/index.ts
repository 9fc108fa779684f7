// Statement PDFs (jsPDF + jspdf-autotable), rendered identically by the desktop and the central service.
export { breakdownFileName, renderBreakdownPdf, type RenderOptions } from './breakdown';
export { FONT_FAMILY, FONT_FILES, preparePdfFonts, type PdfFontFiles, type PdfFonts } from './fonts';
export { fill, pdfLabels, pdfLanguageFor, type PdfLabels } from './labels';
export { monthYear } from './format';
export { reconciliationFileName, renderReconciliationPdf } from './reconciliation';
export { FALLBACK_CHARACTER, makeSanitizer } from './text';
export { bytesToBase64 } from './base64';
export { breakdownMeta, drawBreakdown } from './breakdown';
export { drawNotice, noticeLabels, noticeMeta, renderNoticePdf, type DebtNotice } from './notice';
export { StatementPdf as StatementDocument } from './document';
export { renderBatchChunk, type BatchItem } from './batch';
