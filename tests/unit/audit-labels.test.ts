// Every operation the desk can record in its audit trail has a label in ru, kk and en: the contract's
// operations (a refusal by the gate records any of them by name), and what src-main records under
// names of its own (`operation: '…'`, sync's `event('…')`). The audit screen looks them up by the name
// with '.' → '_' (audit.operations); a missing one would show the raw code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationNames } from '../../src-shared/contract';
import audit from '../../src-renderer/i18n/audit';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) ? [path] : [];
  });
}

/** The names src-main records itself, by its literal `operation: 'a.b'` and `event('a.b'` calls. */
function recordedInMain(): string[] {
  const names = new Set<string>();
  for (const file of sources('src-main')) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:operation: |event\()'([a-z]+\.[A-Za-z]+)'/g)) names.add(match[1]!);
  }
  return [...names];
}

describe('audit labels', () => {
  const recorded = recordedInMain();

  it('finds the operations src-main records (the walk itself works)', () => {
    expect(recorded).toEqual(
      expect.arrayContaining([
        'readings.submit',
        'session.signIn',
        'settings.set',
        'sync.resync',
        'sync.identityRenewed',
      ]),
    );
  });

  for (const language of ['ru', 'kk', 'en'] as const) {
    it(`labels every contract operation and every recorded one in ${language}`, () => {
      const labels = audit[language].operations as Record<string, string>;
      const missing = [...new Set([...operationNames, ...recorded])]
        .map((name) => name.replace(/\./g, '_'))
        .filter((key) => !labels[key]?.trim());
      expect(missing).toEqual([]);
    });
  }
});
