// Print and save a statement. Print asks the shell first (`statements.print`): the desktop app prints
// the document itself through the system's print dialog (src-main/electron/print.ts) and answers
// 'printed' or 'cancelled'; a shell without a printer of its own (the web shell) answers 'browser',
// and the PDF is then loaded into a hidden frame here and printed through the browser's dialog. Save
// downloads the PDF (which came through the contract as base64) under its suggested name.
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import type { StatementPdf, StatementPrintOutput } from '../../src-shared/schemas/statements';
import { download } from '../files';
import { useErrors } from './errors';

function blobOf(pdf: StatementPdf): Blob {
  const binary = atob(pdf.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: 'application/pdf' });
}

export function savePdf(pdf: StatementPdf): void {
  download(pdf.fileName, blobOf(pdf));
}

/** How long the browser may take to show the PDF in the frame before printing counts as impossible. */
const FRAME_LOAD_TIMEOUT_MS = 15_000;

/**
 * Prints the PDF through the browser's dialog from a hidden frame. Resolves true once the dialog was
 * asked for (or, where a frame cannot print, the PDF opened in a tab of its own for Ctrl+P there),
 * false where printing is impossible here: the browser does not show PDFs (it would only download
 * them) or neither the frame nor a new tab can be had.
 */
export function printInBrowser(pdf: StatementPdf): Promise<boolean> {
  return printBlobInBrowser(blobOf(pdf), pdf.fileName);
}

/** printInBrowser for a file the window holds already. */
export function printBlobInBrowser(blob: Blob, fileName: string): Promise<boolean> {
  document.querySelectorAll('iframe[data-print]').forEach((old) => {
    const src = (old as HTMLIFrameElement).src;
    old.remove();
    if (src.startsWith('blob:')) URL.revokeObjectURL(src);
  });
  const url = URL.createObjectURL(blob);
  const frame = document.createElement('iframe');
  frame.dataset['print'] = fileName;
  frame.title = fileName;
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;border:0;opacity:0';
  frame.src = url;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), FRAME_LOAD_TIMEOUT_MS);
    frame.onload = () => {
      clearTimeout(timer);
      let shown = false;
      try {
        shown = frame.contentDocument?.contentType === 'application/pdf';
      } catch {
        shown = false;
      }
      if (!shown) return resolve(false); // a browser that downloads PDFs instead of showing them
      const previous = document.activeElement;
      try {
        frame.contentWindow!.focus();
        frame.contentWindow!.print();
        resolve(true);
      } catch {
        // A viewer that cannot print from a frame: the PDF in a tab of its own, Ctrl+P there.
        resolve(window.open(url, '_blank') !== null);
      } finally {
        // Back to the page: keys pressed next (Ctrl+P again, F2, ...) are the app's, not the frame's.
        if (previous instanceof HTMLElement && previous !== frame) previous.focus();
        else frame.blur();
      }
    };
    document.body.append(frame);
  });
}

/** Print and Save for a statement screen: the shell's printer or the browser's, a busy flag and messages. */
export function usePdfActions(documents: {
  pdf: () => Promise<StatementPdf>;
  print: () => Promise<StatementPrintOutput>;
}) {
  const { t } = useI18n();
  const message = useMessage();
  const errors = useErrors();
  const busy = ref(false);
  async function run(action: () => Promise<void>): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    try {
      await action();
    } catch (error) {
      errors.report(error);
    } finally {
      busy.value = false;
    }
  }
  return {
    busy,
    print: () =>
      run(async () => {
        const { status } = await documents.print();
        if (status === 'printed') message.success(t('statements.printed'));
        else if (status === 'browser' && !(await printInBrowser(await documents.pdf())))
          message.error(t('statements.printImpossible'));
        // 'cancelled': the operator closed the dialog; nothing to say
      }),
    save: () =>
      run(async () => {
        const file = await documents.pdf();
        savePdf(file);
        message.success(t('statements.saved', { name: file.fileName }));
      }),
  };
}
