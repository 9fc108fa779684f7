// Starting a worker thread from TypeScript source (tsx: web shell, CLI, tests) or from a built file
// (Electron: electron-vite's `?modulePath`). Under tsx the worker registers tsx itself first.
import { Worker, type ResourceLimits } from 'node:worker_threads';

export function startWorker(file: string | URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  if (String(file).endsWith('.ts')) {
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    return new Worker(
      `const { register } = await import(${tsx}); register(); await import(${JSON.stringify(String(file))});`,
      { eval: true, workerData, resourceLimits },
    );
  }
  return new Worker(file, { workerData, resourceLimits });
}
