// What the operator dialogs share: the same checks the central service makes (said under the field
// before anything is sent), the service's refusals mapped to their fields, and Enter moving on.
import { useI18n } from 'vue-i18n';
import { passwordProblems } from '../../../src-shared/schemas/web';
import { ApiError } from '../../api/client';
import { useErrors } from '../../composables/errors';

/** The service's login format (src-shared/schemas/operators.ts), after trimming and lower-casing. */
const LOGIN_RE = /^[a-z0-9][a-z0-9._-]{2,31}$/;

export const normalLogin = (login: string) => login.trim().toLowerCase();

export function useOperatorForm() {
  const { t, te } = useI18n();
  const errors = useErrors();

  /** Messages for the fields that fail; an empty object when all is well. */
  function check(
    form: { login?: string; fullName?: string; password?: string },
    passwordRequired: boolean,
  ): Record<string, string> {
    const out: Record<string, string> = {};
    if (form.login !== undefined && !LOGIN_RE.test(normalLogin(form.login))) out['login'] = t('operators.checks.login');
    if (form.fullName !== undefined && form.fullName.trim().length < 3)
      out['fullName'] = t('operators.checks.fullName');
    if (form.password !== undefined && (passwordRequired || form.password !== '')) {
      const problem = passwordProblems(form.password, form.login ? normalLogin(form.login) : null)[0];
      if (problem) out['password'] = t(`operators.password.${problem}`);
    }
    return out;
  }

  /**
   * A refusal about fields (VALIDATION, or the CONFLICT of a taken login) as field → message. The
   * password's codes are message keys themselves (`operators.password.tooShort`); reasons like
   * `operators.loginTaken` are the area's `reasons`; the rest says what the field expects.
   */
  function serverFeedback(error: unknown): Record<string, string> {
    if (!(error instanceof ApiError) || (error.code !== 'VALIDATION' && error.code !== 'CONFLICT')) return {};
    const generic = errors.fieldErrors(error);
    const out: Record<string, string> = {};
    for (const field of error.fields) {
      const reasonKey = field.code.replace(/^([a-z]+)\.([A-Za-z]+)$/, '$1.reasons.$2');
      const own = [field.code, reasonKey].find((key) => key.includes('.') && te(key));
      const byPath = field.path === 'login' || field.path === 'fullName' ? `operators.checks.${field.path}` : null;
      out[field.path] = own ? t(own) : byPath ? t(byPath) : (generic[field.path] ?? t('errors.fields.custom'));
    }
    return out;
  }

  /**
   * Enter moves to the next field of `root`; on the last one it submits. An open select keeps its Enter.
   * The form marks its selects `data-select` and what it disables `data-disabled` (not the library's classes).
   */
  function enterNext(event: KeyboardEvent, root: HTMLElement | null, submit: () => void, selectOpen = false) {
    if (event.key !== 'Enter' || event.isComposing || !root) return;
    const target = event.target as HTMLElement;
    if (selectOpen && target.closest('[data-select]')) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.ctrlKey) return submit();
    const fields = [...root.querySelectorAll<HTMLElement>('input:not([type="hidden"]), [tabindex="0"]')].filter(
      (el) => !el.hasAttribute('disabled') && !el.closest('[data-disabled]') && el.offsetParent !== null,
    );
    const at = fields.findIndex((el) => el === target || el.contains(target));
    if (at >= 0 && at < fields.length - 1) fields[at + 1]!.focus();
    else submit();
  }

  return { check, serverFeedback, enterNext };
}
