// VALIDATION from the statements and mail operations, as sentences under the right field.
import { useI18n } from 'vue-i18n';
import { formatDate } from '../../src-shared/domain/period';
import { ApiError } from '../api/client';

export function useStatementErrors() {
  const { t } = useI18n();
  return (error: unknown): Record<string, string> => {
    if (!(error instanceof ApiError) || error.code !== 'VALIDATION') return {};
    const out: Record<string, string> = {};
    // A closed account's refusal names its closing day.
    const closedOn = (error.details as { closedOn?: unknown } | undefined)?.closedOn;
    const params = { date: typeof closedOn === 'string' ? formatDate(closedOn) : '' };
    for (const field of error.fields) {
      const code = field.code.replace(/^(statements|mail)\./, '');
      const key = `statements.errors.${code}`;
      const text = t(key, params);
      out[field.path] =
        text === key
          ? t(`errors.fields.${field.code}`) === `errors.fields.${field.code}`
            ? t('errors.fields.custom')
            : t(`errors.fields.${field.code}`)
          : text;
    }
    return out;
  };
}
