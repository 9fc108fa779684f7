// The month's mailing job for «Рассылка», kept by the central service: mailing.status (every second
// while a job is live, every 10 s otherwise), start for a month, pause / resume / cancel; a refusal is
// the screen's `problem`, with `connection` when it is the missing connection to the service. The month
// picker starts at the month of a job that is live or interrupted (the one the screen goes on with), and
// a start, pause, resume or cancel looks again at once at the 1-second pace of a live job.
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
  const periods = ref(Array.from({ length: 12 }, (_, i) => addMonths(current, -(i + 1))));
  const period = ref(periods.value[0]!);
  const monthName = (p: string) =>
    new Date(`${p}-15T00:00:00Z`).toLocaleDateString(
      locale.value === 'kk' ? 'kk-KZ' : locale.value === 'en' ? 'en-GB' : 'ru-RU',
      { month: 'long', year: 'numeric', timeZone: 'UTC' },
    );
  const periodOptions = computed(() => periods.value.map((p) => ({ value: p, label: monthName(p) })));

  const live = computed(() => !!job.value && ['running', 'paused', 'cancelling'].includes(job.value.state));
  /** a job the service stopped during: no new one until it is resumed or cancelled */
  const interrupted = computed(() => job.value?.state === 'interrupted');
  /** The first job read that is live or interrupted sets the month (not the operator's later choice). */
  let picked = false;
  function follow(next: MailingJob | null) {
    job.value = next;
    if (picked || !next) return;
    picked = true;
    if (!['running', 'paused', 'cancelling', 'interrupted'].includes(next.state)) return;
    if (!periods.value.includes(next.period)) periods.value = [...periods.value, next.period].sort().reverse();
    period.value = next.period;
  }
  function failed(error: unknown) {
    problem.value = errors.problem(error, CONNECTION_REASONS);
  }

  async function load() {
    try {
      follow((await call('mailing.status', {})).job);
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
      schedule();
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
      schedule();
    }
  }

  // While a job is live the screen follows it every second; otherwise it looks again every 10 s. A
  // start (or any action) sets the next look from now, at the new pace: not after a 10-s wait begun before.
  let timer: ReturnType<typeof setTimeout> | null = null;
  let gone = false;
  function schedule() {
    if (timer) clearTimeout(timer);
    if (gone) return;
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
    gone = true;
    if (timer) clearTimeout(timer);
  });

  return { job, loaded, busy, problem, periods, period, monthName, periodOptions, live, interrupted, load, act, start };
}
