// The office's month (#20.4): the debt list (list.ts).
import type { DebtsListInput } from '../../../src-shared/schemas/debts';
import type { ServiceContext } from '../context';
import { createDebtList } from './list';

export function createDebtsService(ctx: ServiceContext) {
  const debts = createDebtList(ctx.db);
  return {
    list: (input: DebtsListInput) => debts.list(input),
  };
}
