// Files the operator takes away from a screen: one way to hand a file to the browser's (or the
// desktop's) download, and one shape for a CSV an office opens in Excel — `;` between cells (the
// Russian Excel's list separator), CRLF, a BOM so Cyrillic reads right, and cells that begin with
// = + - @ escaped so a spreadsheet never runs them as formulas.
import { stringify } from 'csv-stringify/browser/esm/sync';

/** Downloads `content` under `fileName`. */
export function download(fileName: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A CSV for Excel: the header row in the operator's language, then the rows. */
export function officeCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `\uFEFF${stringify([header, ...rows] as unknown[][], { delimiter: ';', record_delimiter: '\r\n', escape_formulas: true })}`;
}

export const csvBlob = (csv: string) => new Blob([csv], { type: 'text/csv;charset=utf-8' });
