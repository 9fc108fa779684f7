// «На проверке»: the supervisors' queue of held readings and their decisions. Read again when a sync
// brought rows (another desk may have decided one) and after each decision here.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { HeldReading } from '../../src-shared/schemas/readings';
import { call } from '../api/client';

export type Decision = 'release' | 'correct' | 'refuse';

export const useHeldStore = defineStore('held', () => {
  const readings = shallowRef<HeldReading[]>([]);
  const total = ref(0);
  /** false until the first answer (or its failure): the screen shows the table only then */
  const loaded = ref(false);

  async function load(): Promise<void> {
    try {
      const result = await call('readings.held', {});
      readings.value = result.readings;
      total.value = result.total;
    } finally {
      loaded.value = true;
    }
  }

  /** A supervisor's decision with its note (a corrected value for 'correct'); the queue is read again. */
  async function decide(reading: HeldReading, decision: Decision, note: string, value?: string): Promise<void> {
    await call('readings.review', {
      accountId: reading.accountId,
      readingId: reading.readingId,
      decision,
      note,
      ...(decision === 'correct' ? { value: value ?? '' } : {}),
    });
    // The decision is made; a queue that does not load now is read again at the next visit or sync.
    await load().catch(() => undefined);
  }

  return { readings, total, loaded, load, decide };
});
