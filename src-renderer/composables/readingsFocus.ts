// Where the focus goes on «Показания», so a reading is keyed in without the mouse: a row's value
// field, its kind or reason drop-down (through their own focus()), or the send button.
import { nextTick, type Ref } from 'vue';
import type { ReasonedFinding } from '../../src-shared/readings/checks';
import type { useReadingsForm } from './readingsForm';

export type Focusable = { focus: () => void } | null;
export type Field = 'value' | 'kind' | 'reason' | 'send';

export function useReadingsFocus(
  root: Ref<HTMLElement | null>,
  form: Pick<ReturnType<typeof useReadingsForm>, 'state' | 'rows' | 'views' | 'setReason'>,
  send: () => void,
) {
  const { state, rows, views } = form;
  /** Each row's drop-downs, by row index (kept by `:ref` functions in the template). */
  const kindSelects = new Map<number, Focusable>();
  const reasonFields = new Map<number, { focusReason: () => void } | null>();
  const keepKind = (index: number) => (el: unknown) => void kindSelects.set(index, (el as Focusable) ?? null);
  const keepEntry = (index: number) => (el: unknown) =>
    void reasonFields.set(index, (el as { focusReason: () => void } | null) ?? null);

  function focusField(kind: Field, index = 0) {
    void nextTick(() => {
      if (kind === 'kind') return kindSelects.get(index)?.focus();
      if (kind === 'reason') return reasonFields.get(index)?.focusReason();
      const selector = kind === 'send' ? '[data-test="readings-send"]' : `[data-field="value-${index}"] input`;
      root.value?.querySelector<HTMLElement>(selector)?.focus();
    });
  }
  /** The meter row that has the focus (for Alt+H / Alt+R), else the first. */
  function focusedIndex(): number {
    const row = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-meter-index]');
    return row ? Number(row.dataset['meterIndex']) : 0;
  }
  /** The first meter with no reading this month and nothing typed; else the first meter. */
  function focusFirstEmpty() {
    const index = state.value?.meters.findIndex((m, i) => !m.current && !rows.value[i]!.text.trim()) ?? -1;
    focusField('value', Math.max(0, index));
  }
  /** Enter in a reading: fix what blocks it first (kind, reason), else go to the next meter, else send. */
  function onEnter(index: number) {
    const view = views.value[index]!;
    if (view.formatError) return;
    const blocking = view.blocking.filter((f) => f.code !== 'verificationOverdue');
    if (blocking.some((f) => f.code === 'lowerThanPrevious' || f.code === 'rolloverNotLower'))
      return focusField('kind', index);
    if (blocking.some((f) => f.severity === 'reason')) return focusField('reason', index);
    if (blocking.length) return;
    if (index + 1 < views.value.length) focusField('value', index + 1);
    else send();
  }
  /** A reason picked: once nothing blocks the row, on to the next meter (or the send button). */
  function setReason(index: number, finding: ReasonedFinding, reason: string) {
    form.setReason(index, finding, reason);
    if (views.value[index]!.blocking.every((f) => f.severity === 'info')) {
      if (index + 1 < views.value.length) focusField('value', index + 1);
      else focusField('send');
    }
  }
  return { keepKind, keepEntry, focusField, focusedIndex, focusFirstEmpty, onEnter, setReason };
}
