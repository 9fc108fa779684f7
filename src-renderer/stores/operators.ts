// «Операторы и роли»: the office's operators as the central service keeps them (online only), and the
// administrator's changes to them; each answer is the list as it is after the change.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { OperatorAdmin, OperatorCreateInput, OperatorUpdateInput } from '../../src-shared/schemas/operators';
import { call } from '../api/client';

export const useOperatorsStore = defineStore('operators', () => {
  /** null until the service answered (the screen shows a skeleton or why it cannot) */
  const operators = shallowRef<OperatorAdmin[] | null>(null);

  async function load(): Promise<OperatorAdmin[]> {
    operators.value = (await call('operators.list', {})).operators;
    return operators.value;
  }

  async function create(input: OperatorCreateInput): Promise<OperatorAdmin[]> {
    operators.value = (await call('operators.create', input)).operators;
    return operators.value;
  }

  async function update(patch: OperatorUpdateInput): Promise<OperatorAdmin[]> {
    operators.value = (await call('operators.update', patch)).operators;
    return operators.value;
  }

  return { operators, load, create, update };
});
