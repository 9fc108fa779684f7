// Print and save a statement PDF that came through the contract as base64. Print loads it into a
// hidden frame and opens the print dialog (Electron's and the browser's alike); Save downloads it
// under its suggested name (Electron shows its save dialog for downloads).
import { ref } from 'vue';
import type { StatementPdf } from '../../src-shared/schemas/statements';

function blobOf(pdf: StatementPdf): Blob {
  const binary = atob(pdf.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: 'application/pdf' });
}

export function savePdf(pdf: StatementPdf): void {
  const url = URL.createObjectURL(blobOf(pdf));
  const link = document.createElement('a');
  link.href = url;
  link.download = pdf.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function printPdf(pdf: StatementPdf): void {
  const url = URL.createObjectURL(blobOf(pdf));
  document.querySelector('iframe[data-print]')?.remove();
  const frame = document.createElement('iframe');
  frame.dataset['print'] = pdf.fileName;
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;border:0;opacity:0';
  frame.src = url;
  frame.onload = () => {
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } catch {
      window.open(url, '_blank'); // a viewer that cannot print from a frame: open it, Ctrl+P there
    }
  };
  document.body.append(frame);
}

/** Print and Save for a screen whose PDF comes from `fetch`, with a busy flag and messages. */
export function usePdfActions(fetch: () => Promise<StatementPdf>, report: (error: unknown) => void, saved: (fileName: string) => void) {
  const busy = ref(false);
  async function get(): Promise<StatementPdf | null> {
    busy.value = true;
    try {
      return await fetch();
    } catch (error) {
      report(error);
      return null;
    } finally {
      busy.value = false;
    }
  }
  return {
    busy,
    async print() {
      const file = await get();
      if (file) printPdf(file);
    },
    async save() {
      const file = await get();
      if (file) {
        savePdf(file);
        saved(file.fileName);
      }
    },
  };
}
