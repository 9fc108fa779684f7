// A batch PDF of the debt list as the screen drives it: start (debts.batchPdf 'start'), the job
// polled for its progress and time left while the worker renders, cancel, and the finished file read
// in parts into a Blob once, then saved (a download under the service's name) or printed (the shell's
// printer, else the browser's dialog) — the same two ways the statement tabs take.
import { onBeforeUnmount, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import type { BatchPdfJob, DebtDocument, DebtFilter } from '../../src-shared/schemas/debts';
import { call } from '../api/client';
import { useErrors } from './errors';
import { download } from '../files';
import { printBlobInBrowser } from './pdf';

const POLL_MS = 400;

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function useBatchPdf() {
  const { t } = useI18n();
  const message = useMessage();
  const errors = useErrors();
  const job = ref<BatchPdfJob | null>(null);
  const busy = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let file: { jobId: string; blob: Blob } | null = null;

  async function poll() {
    if (!job.value || job.value.state !== 'running') return;
    try {
      job.value = await call('debts.batchPdf', { action: 'progress', jobId: job.value.jobId });
    } catch (error) {
      errors.report(error);
      return;
    }
    if (job.value.state === 'running') timer = setTimeout(poll, POLL_MS);
    else if (job.value.state === 'cancelled') message.info(t('debts.batch.cancelled'));
    else if (job.value.state === 'failed')
      message.error(t(`debts.reasons.${(job.value.reason ?? 'debts.failed').replace(/^debts\./, '')}`));
  }

  async function start(document: DebtDocument, accountIds: number[] | null, filter: DebtFilterInput) {
    if (busy.value || job.value?.state === 'running') return;
    busy.value = true;
    try {
      job.value = await call('debts.batchPdf', { action: 'start', document, accountIds, filter });
      timer = setTimeout(poll, POLL_MS);
    } catch (error) {
      errors.report(error);
    } finally {
      busy.value = false;
    }
  }

  async function cancel() {
    if (job.value?.state !== 'running') return false;
    clearTimeout(timer);
    try {
      job.value = await call('debts.batchPdf', { action: 'cancel', jobId: job.value.jobId });
      message.info(t('debts.batch.cancelled'));
    } catch (error) {
      errors.report(error);
    }
    return true;
  }

  async function blob(): Promise<Blob> {
    const done = job.value!;
    if (file?.jobId === done.jobId) return file.blob;
    const parts: Uint8Array<ArrayBuffer>[] = [];
    for (let offset = 0; ;) {
      const { part } = await call('debts.batchPdf', { action: 'part', jobId: done.jobId, offset });
      const bytes = bytesOf(part!.base64);
      parts.push(bytes);
      offset += bytes.length;
      if (part!.end) break;
    }
    file = { jobId: done.jobId, blob: new Blob(parts, { type: 'application/pdf' }) };
    return file.blob;
  }

  async function run(action: (done: BatchPdfJob) => Promise<void>) {
    if (busy.value || job.value?.state !== 'done') return;
    busy.value = true;
    try {
      await action(job.value);
    } catch (error) {
      errors.report(error);
    } finally {
      busy.value = false;
    }
  }
  const save = () =>
    run(async (done) => {
      download(done.fileName, await blob());
      message.success(t('statements.saved', { name: done.fileName }));
    });
  const print = () =>
    run(async (done) => {
      const { printed } = await call('debts.batchPdf', { action: 'print', jobId: done.jobId });
      if (printed === 'printed') message.success(t('statements.printed'));
      else if (printed === 'browser' && !(await printBlobInBrowser(await blob(), done.fileName)))
        message.error(t('statements.printImpossible'));
    });
  const close = () => {
    if (job.value?.state !== 'running') job.value = null;
  };

  onBeforeUnmount(() => clearTimeout(timer));
  return { job, busy, start, cancel, save, print, close };
}

export type DebtFilterInput = Omit<DebtFilter, 'minDebt'> & { minDebt: string };
