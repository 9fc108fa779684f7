// The office's month (#20.4): the debt list (list.ts) and the batch PDF of its customers (batch.ts).
import type { BatchPdfInput, DebtsListInput } from '../../../src-shared/schemas/debts';
import type { CallContext, ServiceContext } from '../context';
import type { createSettingsService } from '../settings';
import { createBatchPdf, type BatchPdfOptions } from './batch';
import { createDebtList } from './list';

export function createDebtsService(
  ctx: ServiceContext,
  settings: Pick<ReturnType<typeof createSettingsService>, 'get'>,
  options: BatchPdfOptions = {},
) {
  const debts = createDebtList(ctx.db);
  const batch = createBatchPdf(ctx, settings, debts, options);
  return {
    list: (input: DebtsListInput) => debts.list(input),
    batchPdf: (input: BatchPdfInput, call: CallContext) => batch.run(input, call),
    batchSettled: batch.settled,
  };
}
