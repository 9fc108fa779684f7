// The round import's state and calls: the file chosen (decoded as UTF-8, else Windows-1251), checked
// by readings.importCheck, and its accepted rows saved by readings.importApply with the digest of the
// check the operator saw (a file whose data changed meanwhile is checked again, not saved).
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import { ROUND_MAX_CHARS, type RoundCheck } from '../../src-shared/schemas/round';
import { call } from '../api/client';
import { useErrors } from './errors';

export function useRoundImport() {
  const { t } = useI18n();
  const errors = useErrors();
  const message = useMessage();
  const file = ref<{ name: string; csv: string; cp1251: boolean } | null>(null);
  const check = ref<RoundCheck | null>(null);
  const problem = ref<string | null>(null);
  const busy = ref<'checking' | 'saving' | null>(null);
  const tab = ref<'refused' | 'accepted'>('refused');

  /** UTF-8 (with or without a BOM) as most exports are; else Windows-1251, as 1C and older Excel write. */
  function decode(bytes: ArrayBuffer): { text: string; cp1251: boolean } {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), cp1251: false };
    } catch {
      return { text: new TextDecoder('windows-1251').decode(bytes), cp1251: true };
    }
  }

  async function picked(event: Event) {
    const chosen = (event.target as HTMLInputElement).files?.[0];
    (event.target as HTMLInputElement).value = '';
    if (!chosen) return;
    const { text, cp1251 } = decode(await chosen.arrayBuffer());
    problem.value = null;
    check.value = null;
    if (text.length > ROUND_MAX_CHARS) {
      problem.value = t('round.reasons.tooLarge');
      return;
    }
    file.value = { name: chosen.name, csv: text, cp1251 };
    await runCheck();
  }

  async function runCheck() {
    if (!file.value) return;
    busy.value = 'checking';
    try {
      check.value = await call('readings.importCheck', { fileName: file.value.name, csv: file.value.csv });
      tab.value = check.value.refused.length ? 'refused' : 'accepted';
    } catch (error) {
      problem.value = Object.values(errors.fieldErrors(error))[0] ?? errors.describe(error);
    } finally {
      busy.value = null;
    }
  }

  async function save() {
    if (!file.value || !check.value || busy.value) return;
    if (!check.value.acceptedCount) {
      message.warning(t('round.nothingAccepted'));
      return;
    }
    busy.value = 'saving';
    try {
      const saved = await call('readings.importApply', {
        fileName: file.value.name,
        csv: file.value.csv,
        digest: check.value.digest,
      });
      message.success(t('round.saved', { n: saved.saved.toLocaleString('ru-RU') }));
      busy.value = null;
      await runCheck(); // what is left in the file: the refused rows, and the saved ones now «already this month»
    } catch (error) {
      errors.report(error);
      // The data changed since the preview: the file is checked again for the operator to look at.
      if ((error as { details?: { reason?: string } }).details?.reason === 'round.changed') {
        busy.value = null;
        await runCheck();
      }
    } finally {
      busy.value = null;
    }
  }

  return { file, check, problem, busy, tab, picked, save };
}
