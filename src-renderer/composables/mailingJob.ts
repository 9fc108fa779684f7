// The month's mailing job for «Рассылка», kept by the central service: mailing.status (every second
// while a job is live, every 10 s otherwise), start for a month, pause / resume / cancel; a refusal is
// the screen's `problem`, with `connection` when it is the missing connection to the service.
import { computed, onBeforeUnmount, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import { addMonths, almatyDate, periodOf } from '../../src-shared/domain/period';
import type { MailingJob } from '../../src-shared/schemas/mailing';
import { call } from '../api/client';
import { useErrors } from './errors';

export function useMailingJob() {
  const { t, locale } = useI18n();
  const errors = useErrors();
  const message = useMessage();
  const job = ref<MailingJob | null>(null);
  const loaded = ref(false);
  const busy = ref(false);
  const problem = ref<{ text: string; connection: boolean } | null>(null);
  const CONNECTION_REASONS = new Set(['mailing.offline', 'session.onlineRequired', 'auth.sessionRequired']);

  // The last twelve months that are over (in Almaty); the previous month first, as the service defaults.
  const current = periodOf(almatyDate(new Date()));
  const periods = Array.from({ length: 12 }, (_, i) => addMonths(current, -(i + 1)));
  const period = ref(periods[0]!);
  const monthName = (p: string) =>
    new Date(`${p}-15T00:00:00Z`).toLocaleDateString(
      locale.value === 'kk' ? 'kk-KZ' : locale.value === 'en' ? 'en-GB' : 'ru-RU',
      { month: 'long', year: 'numeric', timeZone: 'UTC' },
    );
  const periodOptions = computed(() => periods.map((p) => ({ value: p, label: monthName(p) })));

  const live = computed(() => !!job.value && ['running', 'paused', 'cancelling'].includes(job.value.state));
  function failed(error: unknown) {
    problem.value = errors.problem(error, CONNECTION_REASONS);
  }

  async function load() {
    try {
      job.value = (await call('mailing.status', {})).job;
      problem.value = null;
    } catch (error) {
      failed(error);
    } finally {
      loaded.value = true;
    }
  }

  async function act(what: 'mailing.pause' | 'mailing.resume' | 'mailing.cancel') {
    busy.value = true;
    try {
      job.value = await call(what, {});
      problem.value = null;
    } catch (error) {
      failed(error);
    } finally {
      busy.value = false;
    }
  }

  async function start() {
    busy.value = true;
    try {
      job.value = await call('mailing.start', { period: period.value });
      problem.value = null;
      message.success(t('mailing.started', { period: monthName(period.value) }));
    } catch (error) {
      failed(error);
    } finally {
      busy.value = false;
    }
  }

  // While a job is live the screen follows it every second; otherwise it looks again every 10 s.
  let timer: ReturnType<typeof setTimeout> | null = null;
  function schedule() {
    timer = setTimeout(
      async () => {
        await load();
        schedule();
      },
      live.value ? 1_000 : 10_000,
    );
  }
  onMounted(async () => {
    await load();
    schedule();
  });
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
  });

  return { job, loaded, busy, problem, periods, period, monthName, periodOptions, live, load, act, start };
}
