// A statement sent by e-mail (the breakdown's or the reconciliation act's «Email», Ctrl+E): mail.send
// queues the letter in the mail outbox, to the address typed (else the owner's on file), in the PDF's
// language picked on screen. A refused address is the dialog's `feedback`, in words.
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import type { PdfLanguage } from '../../src-shared/schemas/statements';
import { call } from '../api/client';
import { useErrors } from './errors';
import { useStatementErrors } from './statementErrors';

export type EmailedDocument =
  { kind: 'breakdown'; period?: string } | { kind: 'reconciliation'; from: string; to: string };

export function useEmailStatement(
  what: () => { accountId: number; document: EmailedDocument; language?: PdfLanguage | undefined },
) {
  const { t } = useI18n();
  const message = useMessage();
  const errors = useErrors();
  const statementErrors = useStatementErrors();
  const to = ref('');
  const feedback = ref<string | null>(null);
  const sending = ref(false);

  /** The dialog opened: the address it starts with, no complaint yet. */
  function reset(defaultTo: string | null) {
    to.value = defaultTo ?? '';
    feedback.value = null;
  }

  /** Queues the letter; true once it is queued (the dialog closes), false when refused or already sending. */
  async function send(): Promise<boolean> {
    if (sending.value) return false;
    sending.value = true;
    feedback.value = null;
    try {
      const { accountId, document, language } = what();
      const result = await call('mail.send', {
        accountId,
        document,
        ...(language ? { language } : {}),
        ...(to.value.trim() ? { to: to.value.trim() } : {}),
      });
      message.success(t('statements.emailQueued', { to: result.to }));
      return true;
    } catch (error) {
      const fields = statementErrors(error);
      feedback.value = fields['to'] ?? Object.values(fields)[0] ?? null;
      if (!feedback.value) errors.report(error);
      return false;
    } finally {
      sending.value = false;
    }
  }

  return { to, feedback, sending, reset, send };
}
