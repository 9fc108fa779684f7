// The reconciliation act («Акт сверки») of one account over a range of days: statements.reconciliation
// from the local store, its PDF, print and save. A range the act cannot be made for is the tab's
// `problem`, in words; the PDF's language is the owner's until the operator picks another. The default
// range ends today, or on the closing day of a closed account. Dates typed into the range that are no
// dates, or a start after the end, are said (`rangeIssue`, the field named) and change nothing.
import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { almatyDate, isValidDate, type IsoDate } from '../../src-shared/domain/period';
import { defaultReconciliationRange } from '../../src-shared/statements/validate';
import type { PdfLanguage, Reconciliation } from '../../src-shared/schemas/statements';
import { call } from '../api/client';
import { useErrors } from './errors';
import { usePdfActions } from './pdf';
import { useStatementErrors } from './statementErrors';

/** 'dd.mm.yyyy' as typed → 'YYYY-MM-DD', or null when it is no calendar date. */
export function typedDate(text: string): IsoDate | null {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (!match) return null;
  const iso = `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
  return isValidDate(iso) ? iso : null;
}

export function useReconciliation(
  accountId: () => number,
  account: { openedOn?: IsoDate | null; closedOn?: IsoDate | null } = {},
) {
  const { t } = useI18n();
  const errors = useErrors();
  const statementErrors = useStatementErrors();
  const initial = defaultReconciliationRange(almatyDate(new Date()), account);
  const from = ref(initial.from);
  const to = ref(initial.to);
  /** What is wrong with the dates typed into the range (which field and why), before anything is asked. */
  const rangeIssue = ref<{ field: 'from' | 'to'; kind: 'notDate' | 'inverted'; text: string } | null>(null);
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
  /**
   * The range's two fields as they read (the texts typed, or the dates picked): a start after the end is
   * said and nothing changes (the picker itself would quietly move the other end); `value` is the picker's.
   */
  function pick(value: [number, number] | null, typed?: [string, string]) {
    if (!value) return;
    if (typed) {
      const [start, end] = typed.map(typedDate);
      if (start && end && start > end) {
        rangeIssue.value = { field: 'from', kind: 'inverted', text: t('statements.errors.startAfterEnd') };
        return;
      }
    }
    rangeIssue.value = null;
    from.value = toIso(value[0]);
    to.value = toIso(value[1]);
    void load();
  }

  /** A field left with text that is no date: said, the range unchanged. */
  function checkTyped(field: 'from' | 'to', text: string) {
    if (typedDate(text)) {
      if (rangeIssue.value?.field === field && rangeIssue.value.kind === 'notDate') rangeIssue.value = null;
      return;
    }
    rangeIssue.value = {
      field,
      kind: 'notDate',
      text: t(field === 'from' ? 'statements.errors.startNotDate' : 'statements.errors.endNotDate'),
    };
  }

  /** What the PDF, the print and the letter are made of. */
  const document = () => ({ accountId: accountId(), from: from.value, to: to.value, language: language.value });
  const { busy, print, save } = usePdfActions({
    pdf: () => call('statements.reconciliationPdf', document()),
    print: () => call('statements.print', { kind: 'reconciliation', ...document() }),
  });

  return { from, to, model, problem, rangeIssue, language, load, range, pick, checkTyped, busy, print, save };
}
