// The reconciliation act («Акт сверки») of one account over a range of days: statements.reconciliation
// from the local store, its PDF, print and save. A range the act cannot be made for is the tab's
// `problem`, in words; the PDF's language is the owner's until the operator picks another.
import { computed, ref } from 'vue';
import { addMonths, almatyDate, firstDay, periodOf } from '../../src-shared/domain/period';
import type { PdfLanguage, Reconciliation } from '../../src-shared/schemas/statements';
import { call } from '../api/client';
import { useErrors } from './errors';
import { usePdfActions } from './pdf';
import { useStatementErrors } from './statementErrors';

export function useReconciliation(accountId: () => number) {
  const errors = useErrors();
  const statementErrors = useStatementErrors();
  const today = almatyDate(new Date());
  const from = ref(firstDay(addMonths(periodOf(today), -12)));
  const to = ref(today);
  const model = ref<Reconciliation | null>(null);
  const problem = ref<string | null>(null);
  const language = ref<PdfLanguage>('ru');
  let languageSet = false;

  async function load() {
    problem.value = null;
    try {
      model.value = await call('statements.reconciliation', { accountId: accountId(), from: from.value, to: to.value });
      if (!languageSet) {
        language.value = model.value.owner.language;
        languageSet = true;
      }
    } catch (error) {
      model.value = null;
      const fields = statementErrors(error);
      problem.value = fields['to'] ?? fields['from'] ?? null;
      if (!problem.value) errors.report(error);
    }
  }

  // The range picker works with timestamps (noon, so no zone moves a day); the act with 'YYYY-MM-DD'.
  const toIso = (value: number) => {
    const d = new Date(value);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  const range = computed<[number, number]>(() => [
    new Date(`${from.value}T12:00:00`).getTime(),
    new Date(`${to.value}T12:00:00`).getTime(),
  ]);
  function pick(value: [number, number] | null) {
    if (!value) return;
    from.value = toIso(value[0]);
    to.value = toIso(value[1]);
    void load();
  }

  /** What the PDF, the print and the letter are made of. */
  const document = () => ({ accountId: accountId(), from: from.value, to: to.value, language: language.value });
  const { busy, print, save } = usePdfActions({
    pdf: () => call('statements.reconciliationPdf', document()),
    print: () => call('statements.print', { kind: 'reconciliation', ...document() }),
  });

  return { from, to, model, problem, language, load, range, pick, busy, print, save };
}
