// Turns any failure into a sentence in the operator's language, and VALIDATION details into
// per-field messages for a form.
import { useMessage } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/client';
import { formatInstant } from '../format';

export function useErrors() {
  const { t, te } = useI18n();
  const message = useMessage();

  /**
   * A service's reason `area.key` (e.g. `web.iinMismatch`) as the area's `reasons.key` sentence, if
   * there is one; the central service's `auth.*` reasons live in the session area. A time the reason
   * carries (`until`) is shown in Almaty time.
   */
  function reasonText(reason: unknown, details?: { until?: unknown }): string | null {
    const match = typeof reason === 'string' ? /^([a-z]+)\.([A-Za-z]+)$/.exec(reason) : null;
    if (!match) return null;
    const key = match[1] === 'auth' ? `session.auth.${match[2]}` : `${match[1]}.reasons.${match[2]}`;
    const until = typeof details?.until === 'string' ? formatInstant(details.until) : '';
    return te(key) ? t(key, { time: until }) : null;
  }

  function describe(error: unknown): string {
    if (error instanceof ApiError) {
      const details = error.details as { reason?: unknown; until?: unknown } | undefined;
      return reasonText(details?.reason, details) ?? t(`errors.${error.code}`);
    }
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
    // Signed out or locked: the sign-in or lock screen says so already.
    const reason = error instanceof ApiError ? (error.details as { reason?: unknown } | undefined)?.reason : undefined;
    if (reason === 'session.locked' || reason === 'session.signInRequired') return;
    message.error(describe(error));
    if (!(error instanceof ApiError)) console.error(error);
  }

  return { describe, fieldErrors, report, reasonText };
}
