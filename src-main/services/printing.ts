// statements.print: the statement is rendered here, exactly as statements.breakdownPdf /
// .reconciliationPdf render it, and handed to the shell's printer. The printer is a port the shell
// injects (Electron: src-main/electron/print.ts, a hidden window and the system's print dialog); a
// shell without one (the web shell, tests) answers 'browser' before rendering anything, and the
// renderer then prints the PDF through the browser's own dialog. No Electron here (ESLint enforces).
import type { StatementPrintInput, StatementPrintOutput } from '../../src-shared/schemas/statements';
import type { CallContext } from './context';
import type { StatementsService } from './statements';

/** One document to print: the statement's PDF bytes and the name it is known by (the print job's title). */
export interface PrintJob {
  fileName: string;
  bytes: Uint8Array;
  /** The window or browser that asked (Electron: `window:<webContents id>`), so the dialog belongs to it. */
  client?: string;
}

/**
 * The shell's printer. Resolves 'printed' once the job went to the printer the operator chose and
 * 'cancelled' when the operator closed the dialog; anything else is thrown as an AppError with a
 * `statements.*` reason the renderer translates (no printer, the job failed, ...).
 */
export interface StatementPrinter {
  print(job: PrintJob): Promise<'printed' | 'cancelled'>;
}

export function createStatementPrinting(statements: StatementsService, printer: StatementPrinter | undefined) {
  return {
    async print(input: StatementPrintInput, call: CallContext): Promise<StatementPrintOutput> {
      if (!printer) return { status: 'browser' };
      const rendered =
        input.kind === 'breakdown'
          ? statements.breakdownPdfBytes({ accountId: input.accountId, period: input.period, language: input.language })
          : statements.reconciliationPdfBytes({
              accountId: input.accountId,
              from: input.from,
              to: input.to,
              language: input.language,
            });
      const status = await printer.print({ fileName: rendered.fileName, bytes: rendered.bytes, client: call.client });
      return { status };
    },
  };
}
