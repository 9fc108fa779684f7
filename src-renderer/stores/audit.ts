// The audit screen's data: the filter as the supervisor set it (kept when they come back to the
// screen), the page of entries it shows, the operators to filter by, and the CSV export.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { almatyDate } from '../../src-shared/domain/period';
import type { AuditEntry } from '../../src-shared/schemas/audit';
import { call } from '../api/client';

export const AUDIT_PAGE = 50;

export const useAuditStore = defineStore('audit', () => {
  const entries = shallowRef<AuditEntry[]>([]);
  const total = ref(0);
  const loading = ref(false);
  /** false until the first page came: a skeleton, not «Всего записей: 0» */
  const loaded = ref(false);
  const range = ref<[number, number] | null>(null);
  const accountNumber = ref('');
  const operatorId = ref<number | null>(null);
  const operators = shallowRef<{ id: number; fullName: string; login: string }[]>([]);
  const page = ref(1);

  /** The filter as the service takes it: Almaty days, an account number only when it is one. */
  function filter() {
    const number = accountNumber.value.trim();
    return {
      ...(range.value ? { from: almatyDate(new Date(range.value[0])), to: almatyDate(new Date(range.value[1])) } : {}),
      ...(/^\d{6,10}$/.test(number) ? { accountNumber: number } : {}),
      ...(operatorId.value ? { operatorId: operatorId.value } : {}),
    };
  }

  let generation = 0;
  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const result = await call('audit.list', {
        ...filter(),
        limit: AUDIT_PAGE,
        offset: (page.value - 1) * AUDIT_PAGE,
      });
      if (mine !== generation) return;
      entries.value = result.entries;
      total.value = result.total;
      loaded.value = true;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadOperators(): Promise<void> {
    operators.value = (await call('audit.operators', {})).operators;
  }

  /** Page 1 of the filter as it is now. */
  function apply(): Promise<void> {
    page.value = 1;
    return load();
  }

  function goTo(p: number): Promise<void> {
    page.value = p;
    return load();
  }

  /** Every entry of the filter, for the screen to write as CSV. */
  async function exported(): Promise<AuditEntry[]> {
    return (await call('audit.csv', filter())).entries;
  }

  return {
    entries,
    total,
    loading,
    loaded,
    range,
    accountNumber,
    operatorId,
    operators,
    page,
    load,
    loadOperators,
    apply,
    goTo,
    exported,
  };
});
