// The lookup's in-memory indexes, built on first use and dropped by `invalidate()` when data changes
// (sync, a data folder filled): the street list (a city has thousands of streets, not millions, so
// they are matched in memory: exact name, word or former name, then prefix, then one typo) and the
// symmetric-delete dictionary of the owners' distinct name keys for one-letter surname typos.
import { editDistance, foldKey } from '../../../src-shared/lookup/normalize';
import type { Db } from '../../store/db';

export interface StreetEntry {
  id: number;
  kind: string;
  name: string;
  key: string;
  words: string[];
  /** former names and other names (street_aliases), folded */
  aliases: string[];
  district: string;
}

export type StreetMatch = { ids: number[]; consumed: Set<number>; exact: boolean; typo: boolean };

export function createLookupMemory(db: Db) {
  const allStreets = db.prepare<
    [],
    { id: number; kind: string; name: string; name_key: string; district: string | null; aliases: string | null }
  >(
    `SELECT s.id, s.kind, s.name, s.name_key,
            (SELECT d.name FROM buildings b JOIN districts d ON d.id = b.district_id WHERE b.street_id = s.id LIMIT 1) AS district,
            (SELECT json_group_array(x.name) FROM street_aliases x WHERE x.street_id = s.id) AS aliases
       FROM streets s ORDER BY s.name`,
  );
  const distinctNameKeys = db.prepare<[], string>("SELECT DISTINCT name_key FROM owners WHERE name_key != ''").pluck();

  // In-memory indexes, built on first use (and again after invalidate(), e.g. when sync changed data).
  let streets: StreetEntry[] | null = null;
  let vocabulary: Map<string, string[]> | null = null;

  function streetList(): StreetEntry[] {
    streets ??= allStreets.all().map((s) => {
      const aliases = (JSON.parse(s.aliases ?? '[]') as string[]).filter(Boolean);
      return {
        id: s.id,
        kind: s.kind,
        name: s.name,
        key: s.name_key,
        words: s.name
          .split(/[\s-]+/)
          .map(foldKey)
          .filter(Boolean),
        aliases: aliases.flatMap((a) => [foldKey(a), ...a.split(/[\s-]+/).map(foldKey)]).filter(Boolean),
        district: s.district ?? '',
      };
    });
    return streets;
  }

  /** Symmetric-delete dictionary: every key and its one-letter deletions → the keys they come from. */
  function typoDictionary(): Map<string, string[]> {
    if (vocabulary) return vocabulary;
    const map = new Map<string, string[]>();
    const add = (variant: string, key: string) => {
      const list = map.get(variant);
      if (!list) map.set(variant, [key]);
      else if (list[list.length - 1] !== key) list.push(key);
    };
    for (const key of distinctNameKeys.iterate()) {
      add(key, key);
      for (let i = 0; i < key.length; i++) add(key.slice(0, i) + key.slice(i + 1), key);
    }
    vocabulary = map;
    return map;
  }

  function typoNameKeys(word: string): string[] {
    if (word.length < 4) return [];
    const dictionary = typoDictionary();
    const found = new Set<string>();
    const probe = (variant: string) => {
      for (const key of dictionary.get(variant) ?? []) if (key !== word && editDistance(key, word) <= 1) found.add(key);
    };
    probe(word);
    for (let i = 0; i < word.length; i++) probe(word.slice(0, i) + word.slice(i + 1));
    return [...found].sort();
  }

  /** Streets of the kind typed first ('ул. Шевченко' before 'пр. Шевченко'), the rest in list order. */
  const byKind = (found: StreetEntry[], kind: string | null) =>
    kind ? [...found.filter((s) => s.kind === kind), ...found.filter((s) => s.kind !== kind)] : found;

  /** Which words name a street (or a former name of one): exact names beat prefixes, longer spans beat shorter; typos last. */
  function matchStreets(words: string[], kind: string | null = null): StreetMatch | null {
    const list = streetList();
    let best: (StreetMatch & { score: number }) | null = null;
    for (let length = Math.min(words.length, 3); length >= 1; length--) {
      for (let start = 0; start + length <= words.length; start++) {
        const key = words.slice(start, start + length).join('');
        if (key.length < 2 || /^\d/.test(key)) continue;
        const exact = list.filter((s) => s.key === key || s.words.includes(key) || s.aliases.includes(key));
        const prefix = exact.length
          ? []
          : list.filter((s) => s.key.startsWith(key) || s.words.some((w) => w.startsWith(key)));
        const found = exact.length ? exact : prefix;
        if (!found.length) continue;
        const score = (exact.length ? 100 : 0) + length * 10 - start;
        if (!best || score > best.score) {
          const consumed = new Set<number>();
          for (let i = start; i < start + length; i++) consumed.add(i);
          best = {
            ids: byKind(found, kind)
              .slice(0, 30)
              .map((s) => s.id),
            consumed,
            exact: exact.length > 0,
            typo: false,
            score,
          };
        }
      }
    }
    if (best) return best;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (word.length < 4) continue;
      const found = list.filter(
        (s) => editDistance(s.key, word) <= 1 || s.words.some((w) => editDistance(w, word) <= 1),
      );
      if (found.length)
        return {
          ids: byKind(found, kind)
            .slice(0, 30)
            .map((s) => s.id),
          consumed: new Set([i]),
          exact: false,
          typo: true,
        };
    }
    return null;
  }

  /**
   * A microdistrict said with its number apart ("Самал 10 13", "Коктем 2 17-5"): the last word and
   * the first number name the street 'Самал-10', and the numbers after it are house and apartment.
   */
  function matchMicrodistrict(
    words: string[],
    numbers: string[],
  ): { match: StreetMatch; house: string | null; apartment: string | null } | null {
    if (!words.length || !numbers.length || !/^\d+$/.test(numbers[0]!)) return null;
    const list = streetList();
    for (let start = words.length - 1; start >= Math.max(0, words.length - 3); start--) {
      const key = `${words.slice(start).join('')}${numbers[0]}`;
      const found = list.filter((s) => s.key === key);
      if (!found.length) continue;
      const consumed = new Set<number>();
      for (let i = start; i < words.length; i++) consumed.add(i);
      return {
        match: { ids: found.map((s) => s.id), consumed, exact: true, typo: false },
        house: numbers[1] ?? null,
        apartment: numbers[2] ?? null,
      };
    }
    return null;
  }

  /** The structured form's street picker: names that begin so, then a word or former name that does, then one typo. */
  function streetsFor(text: string, limit: number) {
    const key = foldKey(text.replace(/^(ул|улица|пр|пр-т|проспект|мкр|пер|бул|шоссе|туп)\.?\s+/i, ''));
    const list = streetList();
    const picked = key
      ? [
          ...list.filter((s) => s.key.startsWith(key)),
          ...list.filter(
            (s) =>
              !s.key.startsWith(key) &&
              (s.words.some((w) => w.startsWith(key)) || s.aliases.some((w) => w.startsWith(key))),
          ),
          ...list.filter(
            (s) =>
              key.length >= 4 &&
              !s.key.startsWith(key) &&
              !s.words.some((w) => w.startsWith(key)) &&
              s.words.some((w) => editDistance(w, key) <= 1),
          ),
        ]
      : list;
    return {
      streets: picked.slice(0, limit).map((s) => ({ id: s.id, kind: s.kind, name: s.name, district: s.district })),
    };
  }

  return {
    streetList,
    typoNameKeys,
    matchStreets,
    matchMicrodistrict,
    streets: streetsFor,
    /** Drops the in-memory street list and typo dictionary (after sync or a data change). */
    invalidate() {
      streets = null;
      vocabulary = null;
    },
  };
}
