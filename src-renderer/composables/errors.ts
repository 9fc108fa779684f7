// Turns any failure into a sentence in the operator's language, and VALIDATION details into
// per-field messages for a form.
import { useMessage } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/client';

export function useErrors() {
  const { t } = useI18n();
  const message = useMessage();

  function describe(error: unknown): string {
    if (error instanceof ApiError) return t(`errors.${error.code}`);
    return t('errors.INTERNAL');
  }

  /** Field path → translated message, for `:feedback` on form items. */
  function fieldErrors(error: unknown): Record<string, string> {
    if (!(error instanceof ApiError) || error.code !== 'VALIDATION') return {};
    const out: Record<string, string> = {};
    for (const field of error.fields) {
      const key = `errors.fields.${field.code}`;
      out[field.path] = t(key) === key ? t('errors.fields.custom') : t(key);
    }
    return out;
  }

  function report(error: unknown): void {
    message.error(describe(error));
    if (!(error instanceof ApiError)) console.error(error);
  }

  return { describe, fieldErrors, report };
}
