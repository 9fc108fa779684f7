// The office's month (#20.4): the debt list (list.ts) and the batch PDF of its customers (batch.ts), their
// letters through the mail outbox (mail.ts).
import type { BatchPdfInput, DebtsListInput, DebtTarget } from '../../../src-shared/schemas/debts';
import type { CallContext, ServiceContext } from '../context';
import type { createMailService } from '../mail';
import type { createSettingsService } from '../settings';
import type { StatementsService } from '../statements';
import { createBatchPdf, type BatchPdfOptions } from './batch';
import { createDebtList } from './list';
import { createBatchMail } from './mail';

export function createDebtsService(
  ctx: ServiceContext,
  settings: Pick<ReturnType<typeof createSettingsService>, 'get'>,
  statements: StatementsService,
  mail: Pick<ReturnType<typeof createMailService>, 'enqueue'>,
  options: BatchPdfOptions = {},
) {
  const debts = createDebtList(ctx.db);
  const batch = createBatchPdf(ctx, settings, debts, options);
  const letters = createBatchMail(ctx, debts, statements, mail);
  return {
    list: (input: DebtsListInput) => debts.list(input),
    batchPdf: (input: BatchPdfInput, call: CallContext) => batch.run(input, call),
    batchSettled: batch.settled,
    batchMail: (input: DebtTarget, call: CallContext) => letters.send(input, call),
  };
}
