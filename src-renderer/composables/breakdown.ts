// The breakdown («Расшифровка») of one account and month: statements.breakdown from the local store,
// its PDF, print and save. A month the statement cannot be made for (before the account's history, after closing) is the
// tab's `problem`, in words; the month picker and PgUp/PgDn step through months.
import { computed, ref } from 'vue';
import { addMonths } from '../../src-shared/domain/period';
import type { Breakdown, PdfLanguage } from '../../src-shared/schemas/statements';
import { call } from '../api/client';
import { useErrors } from './errors';
import { usePdfActions } from './pdf';
import { useStatementErrors } from './statementErrors';

export function useBreakdown(accountId: () => number) {
  const errors = useErrors();
  const statementErrors = useStatementErrors();
  const model = ref<Breakdown | null>(null);
  const period = ref<string | null>(null);
  const problem = ref<string | null>(null);
  /** The PDF's language: the owner's until the operator picks another. */
  const language = ref<PdfLanguage>('ru');

  async function load(next?: string) {
    problem.value = null;
    try {
      const result = await call('statements.breakdown', { accountId: accountId(), ...(next ? { period: next } : {}) });
      model.value = result;
      period.value = result.period;
      if (!next) language.value = result.owner.language;
    } catch (error) {
      problem.value = statementErrors(error)['period'] ?? null;
      if (!problem.value) errors.report(error);
      if (next) period.value = next;
    }
  }
  const step = (months: number) => {
    if (period.value) void load(addMonths(period.value, months));
  };
  // The month picker works with timestamps; the period is 'YYYY-MM'.
  const pickerValue = computed(() =>
    period.value ? Date.UTC(Number(period.value.slice(0, 4)), Number(period.value.slice(5, 7)) - 1, 15) : null,
  );
  function pick(value: number | null) {
    if (value === null) return;
    const d = new Date(value);
    void load(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`);
  }
  /** What the PDF, the print and the letter are made of. */
  const document = () => ({ accountId: accountId(), period: period.value ?? undefined, language: language.value });
  const { busy, print, save } = usePdfActions({
    pdf: () => call('statements.breakdownPdf', document()),
    print: () => call('statements.print', { kind: 'breakdown', ...document() }),
  });
  return { model, period, problem, language, load, step, pickerValue, pick, busy, print, save };
}
