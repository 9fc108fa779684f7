// Turns any failure into a sentence in the operator's language, and VALIDATION details into
// per-field messages for a form.
import { useMessage } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/client';

export function useErrors() {
  const { t, te } = useI18n();
  const message = useMessage();

  /** A service's reason `area.key` (e.g. `web.iinMismatch`) as the area's `reasons.key` sentence, if there is one. */
  function reasonText(reason: unknown): string | null {
    const match = typeof reason === 'string' ? /^([a-z]+)\.([A-Za-z]+)$/.exec(reason) : null;
    if (!match) return null;
    const key = `${match[1]}.reasons.${match[2]}`;
    return te(key) ? t(key) : null;
  }

  function describe(error: unknown): string {
    if (error instanceof ApiError) return reasonText((error.details as { reason?: unknown } | undefined)?.reason) ?? t(`errors.${error.code}`);
    return t('errors.INTERNAL');
  }

  /** Field path → translated message, for `:feedback` on form items. */
  function fieldErrors(error: unknown): Record<string, string> {
    if (!(error instanceof ApiError) || error.code !== 'VALIDATION') return {};
    const out: Record<string, string> = {};
    for (const field of error.fields) {
      const key = `errors.fields.${field.code}`;
      out[field.path] = reasonText(field.code) ?? (te(key) ? t(key) : t('errors.fields.custom'));
    }
    return out;
  }

  function report(error: unknown): void {
    message.error(describe(error));
    if (!(error instanceof ApiError)) console.error(error);
  }

  return { describe, fieldErrors, report };
}
