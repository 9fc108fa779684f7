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
    return new Promise((resolve) => {
      let settled = false;
      const settle = (leave: boolean) => {
        if (settled) return;
        settled = true;
        if (leave) ui.unsavedReadings = 0;
        resolve(leave);
      };
      const d = dialog.warning({
        title: t('readings.unsaved.title'),
        content: t('readings.unsaved.text', { n: ui.unsavedReadings }),
        positiveText: t('readings.unsaved.stay'),
        negativeText: t('readings.unsaved.leave'),
        onPositiveClick: () => settle(false),
        onNegativeClick: () => settle(true),
        onClose: () => settle(false),
        onMaskClick: () => settle(false),
        onAfterLeave: () => settle(false),
        positiveButtonProps: { 'data-test': 'unsaved-stay' } as never,
        negativeButtonProps: { 'data-test': 'unsaved-leave' } as never,
      });
      void d;
    });
  }

  return { confirmLeave };
}
