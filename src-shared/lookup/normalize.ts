// Search keys: what is stored next to names and addresses so lookups are plain B-tree probes.
// Case-, ё/е- and Kazakh-letter-insensitive: Kazakh letters fold to their nearest Russian ones, so
// «Сейітқали», «сейиткали» and «СЕЙІТҚАЛИ» share a key; punctuation and spaces are dropped.

const FOLD: Record<string, string> = {
  ё: 'е',
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  һ: 'х',
  і: 'и',
  й: 'и',
};

/** Letters and digits only, lower case, folded. */
export function foldKey(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) {
    const folded = FOLD[ch] ?? ch;
    if (/[a-zа-я0-9/]/.test(folded)) out += folded;
  }
  return out;
}

/** Legal forms written before an organisation's name (ignored in its search key). */
export const LEGAL_FORM_WORDS = new Set([
  'тоо',
  'ип',
  'ао',
  'као',
  'ткп',
  'гкп',
  'ккгп',
  'гккп',
  'кгу',
  'гу',
  'чк',
  'оо',
  'пк',
  'филиал',
  'жшс',
  'мкк',
  'too',
  'llp',
  'llc',
  'jsc',
]);
const LEGAL_FORMS = new RegExp(`^(${[...LEGAL_FORM_WORDS].join('|')})\\s+`, 'i');

/** The name key of an owner: the surname for an individual, the organisation's own name for a legal entity. */
export function ownerNameKey(surname: string | null, organisation: string | null): string {
  if (surname) return foldKey(surname);
  return foldKey(
    (organisation ?? '')
      .replace(/[«»"']/g, ' ')
      .trim()
      .replace(LEGAL_FORMS, ''),
  );
}

/** House key: '12А' → '12а', '12 корп. 2' → '12к2', '12/1' stays. */
export function houseKey(house: string): string {
  return foldKey(house.toLowerCase().replace(/корпус|корп\.?/g, 'к'));
}

/** Apartment key: apartment and its prefix (литера) together: '25' + 'А' → '25а'. */
export function apartmentKey(apartment: string | null, prefix: string | null): string | null {
  if (apartment === null) return null;
  return foldKey(`${apartment}${prefix ?? ''}`);
}

/** Damerau–Levenshtein distance capped at 2 (enough to tell "one typo" from "different"). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best >= 2) return 2;
    prev2 = prev;
    prev = row;
  }
  return Math.min(prev[n]!, 2);
}
