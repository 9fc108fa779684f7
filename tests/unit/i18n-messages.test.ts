// Every message of every area compiles in ru, kk and en. vue-i18n reads `@`, `{`, `}` and `|` as its
// own syntax: an e-mail example written plainly («name@example.kz») does not compile, and the field or
// hint that shows it silently disappears from the screen. Such a character is written `{'@'}`.
import { describe, expect, it } from 'vitest';
import { i18n, messages } from '../../src-renderer/i18n';

function keys(node: unknown, path: string[] = []): string[] {
  if (typeof node === 'string') return [path.join('.')];
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => keys(v, [...path, k]));
  return [];
}

describe('i18n messages', () => {
  for (const language of ['ru', 'kk', 'en'] as const) {
    it(`all compile in ${language}`, () => {
      i18n.global.locale.value = language;
      const broken = keys(messages[language]).filter((key) => {
        try {
          i18n.global.t(key, {});
          return false;
        } catch {
          return true;
        }
      });
      expect(broken).toEqual([]);
    });
  }
});
