// Turns any failure into a sentence in the operator's language, and VALIDATION details into
// per-field messages for a form that say what a valid value looks like. A library's or the system's
// own message (English, technical) is never the sentence: it is kept under «Подробнее».
import { h } from 'vue';
import { useMessage } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import type { ErrorCode } from '../../src-shared/errors';
import { ApiError } from '../api/client';
import { reasonTextWith } from './reasons';

/** Codes whose message is the machine's own (a socket, a library, a bug): worth showing as a detail. */
const TECHNICAL: readonly ErrorCode[] = [
  'INTERNAL',
  'UNAVAILABLE',
  'BAD_REQUEST',
  'TOO_LARGE',
  'UNKNOWN_OPERATION',
  'DB_TOO_NEW',
];
/** Field codes a path's own message («БИН — 12 цифр…») explains better than a generic word. */
const SHAPE_CODES = new Set([
  'invalid_format',
  'invalid_type',
  'too_small',
  'too_big',
  'invalid_value',
  'custom',
  'invalid_string',
]);

/** The service's reason for a refusal (`details.reason`, e.g. 'session.signedOut'), when it gave one. */
export function reasonOf(error: unknown): string | undefined {
  const reason = error instanceof ApiError ? (error.details as { reason?: unknown } | undefined)?.reason : undefined;
  return typeof reason === 'string' ? reason : undefined;
}

/** The technical detail of a failure, for «Подробнее» (null: the sentence says it all). */
export function technicalDetail(error: unknown): string | null {
  if (error instanceof ApiError) return TECHNICAL.includes(error.code) && error.message ? error.message : null;
  if (error instanceof Error) return error.message || error.name;
  return error === undefined || error === null ? null : String(error);
}

export function useErrors() {
  const i18n = useI18n();
  const { t, te } = i18n;
  const message = useMessage();
  const reasonText = reasonTextWith(i18n);

  function describe(error: unknown): string {
    if (error instanceof ApiError) {
      const details = error.details as { reason?: unknown; until?: unknown } | undefined;
      return reasonText(details?.reason, details) ?? t(`errors.${error.code}`);
    }
    return t('errors.INTERNAL');
  }

  /** The same, where only a password was typed (lock screen, «Войти в сервис»): «wrong login or
   *  password» would send the operator looking for a login field. */
  function describePassword(error: unknown): string {
    return reasonOf(error) === 'auth.badCredentials' ? t('session.wrongPassword') : describe(error);
  }

  /** Field path → translated message, for `:feedback` on form items. */
  function fieldErrors(error: unknown): Record<string, string> {
    if (!(error instanceof ApiError) || error.code !== 'VALIDATION') return {};
    const out: Record<string, string> = {};
    for (const field of error.fields) {
      const key = `errors.fields.${field.code}`;
      const byPath = `errors.paths.${field.path.replace(/\./g, '_')}`;
      out[field.path] =
        reasonText(field.code) ??
        (SHAPE_CODES.has(field.code) && te(byPath) ? t(byPath) : te(key) ? t(key) : t('errors.fields.custom'));
    }
    return out;
  }

  /**
   * A screen's refusal in words, and whether it is the missing connection (its reason among
   * `connectionReasons`), so the screen can say what to do rather than that it may not.
   */
  function problem(error: unknown, connectionReasons: ReadonlySet<string>): { text: string; connection: boolean } {
    const reason = reasonOf(error);
    return { text: describe(error), connection: reason !== undefined && connectionReasons.has(reason) };
  }

  function report(error: unknown): void {
    // Signed out or locked: the sign-in or lock screen says so already.
    const reason = reasonOf(error);
    if (reason === 'session.locked' || reason === 'session.signInRequired') return;
    const sentence = describe(error);
    const detail = technicalDetail(error);
    if (detail === null) message.error(sentence);
    else
      message.error(
        () =>
          h('div', { class: 'error-with-detail' }, [
            h('div', sentence),
            h('details', [h('summary', t('common.more')), h('code', { 'data-test': 'error-detail' }, detail)]),
          ]),
        { duration: 10_000, closable: true },
      );
    if (!(error instanceof ApiError)) console.error(error);
  }

  /** For an input with no field on screen to mark (the search box): what is wrong with it, in words. */
  function reportInput(error: unknown): void {
    const said = [...new Set(Object.values(fieldErrors(error)))];
    if (said.length) message.error(said.join('; '));
    else report(error);
  }

  return { describe, describePassword, fieldErrors, problem, report, reportInput, reasonText, technicalDetail };
}
