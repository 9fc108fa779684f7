// One name per business operation in every layer. The contract (src-shared/contract.ts) is the
// registry of names; each layer's table is keyed by the same names and typed over them, so a missing
// entry is a compile error — and this test says the same at run time, in words, for the layers a type
// cannot reach (the service's appliers are a value, the outbox's schemas another module).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ACCESS } from '../../src-shared/access';
import { contract, operationNames, type OperationName } from '../../src-shared/contract';
import { mutationArgs, type MutationName } from '../../src-shared/schemas/outbox';
import { appliers } from '../../src-server/appliers';
import audit from '../../src-renderer/i18n/audit';

const outboxNames = Object.keys(mutationArgs) as MutationName[];

describe('the operation registry', () => {
  it('names every change the outbox carries as a mutation of the contract, under the same name', () => {
    expectTypeOf<MutationName>().toExtend<OperationName>();
    for (const name of outboxNames) {
      expect(operationNames, name).toContain(name);
      expect(contract[name].mutation, name).toBe(true);
    }
  });

  it('has the service apply every change the outbox carries, and nothing else', () => {
    expect(Object.keys(appliers).sort()).toEqual([...outboxNames].sort());
  });

  it('gives every operation a capability entry and an audit label in ru, kk and en', () => {
    for (const name of operationNames) {
      expect(ACCESS[name], name).toBeDefined();
      for (const language of ['ru', 'kk', 'en'] as const)
        expect(
          (audit[language].operations as Record<string, string>)[name.replace(/\./g, '_')],
          `${language} ${name}`,
        ).toBeTruthy();
    }
  });
});
