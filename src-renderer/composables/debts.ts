// «Должники» as the screen drives it: the debt list (debts.list) for the filter typed and the sort
// picked, with the filter it was made with (`applied`: the batch acts on it, not on what is being
// typed), refused fields by path, the rows picked and the keyboard's cursor kept within what came; and
// the notices by e-mail (debts.batchMail) for the picked rows or every matched one.
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import type { BatchMailOutput, DebtsList, DebtSortColumn } from '../../src-shared/schemas/debts';
import { call } from '../api/client';
import type { DebtFilterInput } from './batchPdf';
import { useErrors } from './errors';

/** The filters as typed: the minimum debt as money text («10 000,00»). */
export interface FilterDraft {
  minDebt: string;
  minMonths: number;
  districtId: number | null;
  streetId: number | null;
}

export function useDebtList() {
  const errors = useErrors();
  const draft = ref<FilterDraft>({ minDebt: '', minMonths: 0, districtId: null, streetId: null });
  /** the filter the list on screen was made with (the batch acts on it, not on what is being typed) */
  const applied = ref<FilterDraft>({ ...draft.value });
  const sort = ref<{ column: DebtSortColumn; order: 'asc' | 'desc' }>({ column: 'debt', order: 'desc' });
  const data = ref<DebtsList | null>(null);
  const problems = ref<Record<string, string>>({});
  const loading = ref(false);
  const checked = ref<number[]>([]);
  const cursor = ref(0);

  async function load() {
    loading.value = true;
    try {
      const filter = { ...draft.value };
      data.value = await call('debts.list', { ...filter, sort: sort.value.column, order: sort.value.order });
      applied.value = filter;
      problems.value = {};
      const present = new Set(data.value.rows.map((r) => r.accountId));
      checked.value = checked.value.filter((id) => present.has(id));
      cursor.value = Math.min(cursor.value, Math.max(data.value.rows.length - 1, 0));
    } catch (error) {
      problems.value = errors.fieldErrors(error);
      if (!Object.keys(problems.value).length) errors.report(error);
    } finally {
      loading.value = false;
    }
  }

  return { draft, applied, sort, data, problems, loading, checked, cursor, load };
}

/** The debt notices by e-mail, each customer's once per mailing; `result` says who has no address. */
export function useDebtMail(scope: () => { filter: DebtFilterInput; checked: number[]; count: number }) {
  const { t } = useI18n();
  const message = useMessage();
  const errors = useErrors();
  const busy = ref(false);
  const result = ref<BatchMailOutput | null>(null);

  async function send() {
    const { filter, checked, count } = scope();
    if (busy.value || !count) return;
    busy.value = true;
    try {
      result.value = await call('debts.batchMail', {
        document: 'notice',
        accountIds: checked.length ? [...checked] : null,
        filter,
      });
      message.success(
        t('debts.batch.mailDone', {
          queued: result.value.queued,
          already: result.value.already,
          noEmail: result.value.noEmail.length,
        }),
      );
    } catch (error) {
      errors.report(error);
    } finally {
      busy.value = false;
    }
  }

  return { busy, result, send };
}
