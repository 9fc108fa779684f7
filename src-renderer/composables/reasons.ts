// A service's reason code in words, with the translator it is given: a component's `useI18n()`, or
// the i18n instance's own (the audit CSV, tests). Shared by the error messages and the audit trail.
import { formatInstant } from '../format';

/** The translator the words are made with: a component's `useI18n()`, or the i18n instance's own. */
export interface Translator {
  t(key: string, values?: Record<string, unknown>): string;
  te(key: string): boolean;
  /** the language now (a name the administrator gave in three languages is shown in it) */
  locale?: { value: string };
}

/**
 * A service's reason `area.key` (e.g. `web.iinMismatch`) as the area's `reasons.key` sentence, if
 * there is one; the central service's `auth.*` reasons live in the session area. A time the reason
 * carries (`until`) is shown in Almaty time.
 */
export function reasonTextWith({ t, te }: Translator) {
  return (reason: unknown, details?: { until?: unknown }): string | null => {
    const match = typeof reason === 'string' ? /^([a-z]+)\.([A-Za-z]+)$/.exec(reason) : null;
    if (!match) return null;
    const key = match[1] === 'auth' ? `session.auth.${match[2]}` : `${match[1]}.reasons.${match[2]}`;
    const until = typeof details?.until === 'string' ? formatInstant(details.until) : '';
    return te(key) ? t(key, { time: until }) : null;
  };
}
