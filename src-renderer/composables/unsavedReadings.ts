// Readings typed and not sent are not dropped by leaving: switching the tab, Esc, another screen or
// the next call asks first, and staying is the default (the safe button).
import { useI18n } from 'vue-i18n';
import { useUiStore } from '../stores/ui';
import { useQuestion } from './overlays';

export function useUnsavedReadings() {
  const { t } = useI18n();
  const dialog = useQuestion();
  const ui = useUiStore();

  /** Resolves true when there is nothing typed, or the operator chose to leave without it. */
  function confirmLeave(): Promise<boolean> {
    if (!ui.unsavedReadings) return Promise.resolve(true);
    return dialog
      .leaveOrStay({
        title: t('readings.unsaved.title'),
        content: t('readings.unsaved.text', { n: ui.unsavedReadings }),
        stay: t('readings.unsaved.stay'),
        leave: t('readings.unsaved.leave'),
        testId: 'unsaved',
      })
      .then((leave) => {
        if (leave) ui.unsavedReadings = 0;
        return leave;
      });
  }

  return { confirmLeave };
}
