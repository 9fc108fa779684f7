// Worker-thread entry of the demo generator: runs it and reports progress to the parent.
import { parentPort, workerData } from 'node:worker_threads';
import { generateDemoDatabaseSync, type DemoOptions, type WorkerMessage } from './generate';

const data = workerData as Omit<DemoOptions, 'today'> & { today?: string };
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
try {
  const result = generateDemoDatabaseSync(
    { ...data, today: data.today ? new Date(data.today) : undefined },
    (done, total) => post({ type: 'progress', done, total }),
  );
  post({ type: 'done', result });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
