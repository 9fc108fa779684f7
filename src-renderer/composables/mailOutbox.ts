// The desk's mail outbox for «Почта»: mail.outbox read on opening and again (coalesced) on each
// `mail.changed`, and «Отправить снова» for one failed letter or all of them.
import { onMounted, onUnmounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import type { OperationOutput } from '../../src-shared/contract';
import { call, onEvent } from '../api/client';
import { useErrors } from './errors';

export function useMailOutbox() {
  const { t } = useI18n();
  const errors = useErrors();
  const message = useMessage();
  const data = ref<OperationOutput<'mail.outbox'> | null>(null);
  const loading = ref(false);
  const resending = ref<number | 'all' | null>(null);

  let loadingNow: Promise<void> | null = null;
  let again = false;
  /** Reads the outbox; a change announced while reading reads it once more afterwards. */
  async function load(): Promise<void> {
    if (loadingNow) {
      again = true;
      return loadingNow;
    }
    loading.value = data.value === null;
    loadingNow = (async () => {
      try {
        do {
          again = false;
          data.value = await call('mail.outbox', { limit: 200 });
        } while (again);
      } catch (error) {
        errors.report(error);
      } finally {
        loading.value = false;
        loadingNow = null;
      }
    })();
    return loadingNow;
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  const soon = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, 150);
  };
  const stopEvents = onEvent('mail.changed', soon);
  onMounted(load);
  onUnmounted(() => {
    stopEvents();
    if (timer) clearTimeout(timer);
  });

  async function resend(target: number | 'all') {
    resending.value = target;
    try {
      const { resent } = await call('mail.resend', target === 'all' ? { all: true } : { id: target });
      message.success(target === 'all' ? t('mail.resentAll', { n: resent }) : t('mail.resent'));
      await load();
    } catch (error) {
      errors.report(error);
    } finally {
      resending.value = null;
    }
  }

  return { data, loading, resending, load, resend };
}
