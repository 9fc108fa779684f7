// Understands what an operator typed into the one search box, the way customers say it. Digits decide
// by their count (and shape): 6–10 → account number (10 starting with 7 may also be a phone; 7 may
// also be a city number or a mobile's last seven), 12 → IIN/BIN (checksum verified), a phone in any
// usual Kazakh form → phone, `Д-2019/0457` → contract; a word in front may say which one it is
// (`№`, `л/с`, `ИИН`, `БИН`, `договор`). Anything else is words: a street (with its kind: ул., пр.,
// бул., …), a surname or an organisation's name, with house and apartment numbers in any of the
// usual forms (`10-25`, `32/1-25`, `д10 кв25`, `10 корп. 3-26`, and the Kazakh order `58 үй 8 пәтер`).
import { isValidIinBin } from '../domain/iin';
import { apartmentKey, foldKey, houseKey, LEGAL_FORM_WORDS } from './normalize';

export type ParsedQuery =
  | { kind: 'empty' }
  | { kind: 'account'; number: string; phone: string | null; alternatives?: string[]; phoneSuffix?: string | null }
  | { kind: 'iin'; value: string }
  | { kind: 'phone'; number: string }
  | { kind: 'contract'; value: string }
  | { kind: 'invalid'; reason: 'iinChecksum' | 'digitCount'; value: string }
  | {
      kind: 'text';
      words: string[];
      house: string | null;
      apartment: string | null;
      /** the street kind as typed ('ул.', 'пр.', 'бул.', 'пер.', 'мкр.', 'шоссе', 'туп.'), or null */
      streetKind?: string | null;
      /** the numbers as they came, when none was marked as house or apartment (a microdistrict's own number may be the first) */
      looseNumbers?: string[] | null;
      /** all the words as one name key without legal forms ('тоо «Алатау Сервис»' → 'алатаусервис'), for organisations */
      name?: string;
    };

export const MAX_QUERY_LENGTH = 200;

/** Street kinds as people write them, and the one the street list uses. */
const STREET_KINDS: Record<string, string> = {
  ул: 'ул.',
  улица: 'ул.',
  көш: 'ул.',
  көшесі: 'ул.',
  кош: 'ул.',
  пр: 'пр.',
  'пр-т': 'пр.',
  пркт: 'пр.',
  проспект: 'пр.',
  даңғ: 'пр.',
  даңғылы: 'пр.',
  бул: 'бул.',
  бульвар: 'бул.',
  'б-р': 'бул.',
  пер: 'пер.',
  переулок: 'пер.',
  тупик: 'туп.',
  туп: 'туп.',
  мкр: 'мкр.',
  мкрн: 'мкр.',
  микрорайон: 'мкр.',
  'м-н': 'мкр.',
  шағынаудан: 'мкр.',
  шоссе: 'шоссе',
  тракт: 'шоссе',
};
const PLACE_WORDS = new Set(['г', 'город', 'алматы', 'қ', 'қала']);
const HOUSE_WORDS = new Set(['д', 'дом']);
const APARTMENT_WORDS = new Set(['кв', 'квартира', 'оф', 'офис']);
const BUILDING_WORDS = new Set(['к', 'корп', 'корпус']);
/** Kazakh puts the word after the number: «58 үй», «8 пәтер». */
const HOUSE_AFTER = new Set(['үй', 'уй']);
const APARTMENT_AFTER = new Set(['пәтер', 'патер']);

/** A phone in any usual form, as '7XXXXXXXXXX', or null. */
export function parsePhone(text: string): string | null {
  const compact = text.replace(/[\s\-().]/g, '');
  const match = /^(?:\+7|8|7)?(7\d{9})$/.exec(compact);
  if (!match) return null;
  return `7${match[1]}`;
}

/** Almaty's city numbers: seven digits after the code 727. */
export const CITY_CODE = '727';

/** 'Д-2019/0457' in any case, with a Latin D, without the dash or with a short serial. */
export function parseContract(text: string): string | null {
  const match = /^[ДдDd]\s*-?\s*(\d{4})\s*\/\s*(\d{1,4})$/.exec(text.trim());
  return match ? `Д-${match[1]}/${match[2]!.padStart(4, '0')}` : null;
}

/** Full-width and other compatibility digits and letters as plain ones; typographic dashes as '-'. */
function plain(text: string): string {
  // '№' first: NFKC would make it 'No'.
  return text
    .replace(/№/g, '#')
    .normalize('NFKC')
    .replace(/[‐‑‒–—―−]/g, '-');
}

const ACCOUNT_WORDS =
  /^(?:№|n|#|л\s*\/\s*с|л\.\s*с\.?|лс|лицевой\s+сч[её]т|лиц\.?\s*сч[её]т|дербес\s+шот|д\/ш)\s*[:.№]?\s*/i;
const IIN_WORDS = /^(?:иин|бин|iin|bin|жсн|бсн)\s*[:.№]?\s*/i;
const CONTRACT_WORDS = /^(?:договор|дог\.?|контракт|шарт)\s*[:.№]?\s*/i;

export function parseQuery(input: string): ParsedQuery {
  const text = plain(input.slice(0, MAX_QUERY_LENGTH)).trim();
  if (!text) return { kind: 'empty' };

  // A word that says what the number is.
  const contractAfter = CONTRACT_WORDS.exec(text);
  if (contractAfter) {
    const contract = parseContract(text.slice(contractAfter[0].length));
    if (contract) return { kind: 'contract', value: contract };
  }
  const iinAfter = IIN_WORDS.exec(text);
  if (iinAfter && /^\d[\d\s]*$/.test(text.slice(iinAfter[0].length))) {
    const digits = text.slice(iinAfter[0].length).replace(/\D/g, '');
    if (digits.length === 12)
      return isValidIinBin(digits)
        ? { kind: 'iin', value: digits }
        : { kind: 'invalid', reason: 'iinChecksum', value: digits };
    return { kind: 'invalid', reason: 'digitCount', value: digits };
  }
  const accountAfter = ACCOUNT_WORDS.exec(text);
  if (accountAfter && /^\d[\d\s-]*$/.test(text.slice(accountAfter[0].length))) {
    return (
      accountQuery(text.slice(accountAfter[0].length).replace(/\D/g, ''), false) ?? {
        kind: 'invalid',
        reason: 'digitCount',
        value: text.slice(accountAfter[0].length).replace(/\D/g, ''),
      }
    );
  }

  const contract = parseContract(text);
  if (contract) return { kind: 'contract', value: contract };

  const digitsOnly = /^[\d\s\-+()]+$/.test(text);
  if (digitsOnly) {
    const digits = text.replace(/\D/g, '');
    const looksLikePhone = /[+\-()\s]/.test(text) || digits.length === 11;
    if (looksLikePhone) {
      const phone = parsePhone(text);
      if (phone) return { kind: 'phone', number: phone };
      // A city number as people say it: 265-36-95.
      if (digits.length === 7) return { kind: 'phone', number: `7${CITY_CODE}${digits}` };
    }
    if (digits.length === 12)
      return isValidIinBin(digits)
        ? { kind: 'iin', value: digits }
        : { kind: 'invalid', reason: 'iinChecksum', value: digits };
    if (!/[+()]/.test(text)) {
      const account = accountQuery(digits, true);
      if (account) return account;
    }
    if (digits.length >= 6) return { kind: 'invalid', reason: 'digitCount', value: digits };
  }
  return parseWords(text);
}

/** 6–10 digits (leading zeros as typed, and without them); 7 digits may also be a phone's last seven. */
function accountQuery(digits: string, phones: boolean): ParsedQuery | null {
  const stripped = digits.replace(/^0+(?=\d{6})/, '');
  if (digits.length < 6 || digits.length > 10) return null;
  return {
    kind: 'account',
    number: digits,
    phone: phones && digits.length === 10 ? parsePhone(digits) : null,
    ...(stripped !== digits ? { alternatives: [stripped] } : {}),
    ...(phones && digits.length === 7 ? { phoneSuffix: digits } : {}),
  };
}

const LETTER = '[a-zа-яёәғқңөұүһі]';
const NUMBER_TOKEN = new RegExp(`^\\d+${LETTER}?(?:/\\d+${LETTER}?)?(?:к\\d+)?$`, 'u');
/** '10-25', '32/1-25', '10к2-14': a house and its apartment. */
const DASHED = new RegExp(`^(\\d+${LETTER}?(?:/\\d+${LETTER}?)?(?:к\\d+)?)-(\\d+${LETTER}?)$`, 'u');

/** Words and numbers of an address and/or a name: 'ул. Абая, д. 10, кв. 25 А', 'Иванов Абая 10-25'. */
function parseWords(text: string): ParsedQuery {
  const tokens = text
    .toLowerCase()
    .replace(/[,;:«»"'`*()[\]{}^~<>=!?&|@#$%\\№]/g, ' ')
    .replace(/(\p{L})\.(?=\s*\S)/gu, '$1 ')
    // A marker glued to its number: 'д104в', 'кв25', 'корп2', 'к3'.
    .replace(/(^|\s)(дом|д|кв|оф|корп|к)(\d)/gu, '$1$2 $3')
    // A word glued to a number: 'кв25а' → 'кв 25а', 'самал2' stays a street name only with a dash.
    .replace(new RegExp(`(${LETTER}{2,})(\\d)`, 'gu'), '$1 $2')
    .split(/\s+/)
    .map((t) => t.replace(/^[.\-/]+|[.\-/]+$/g, ''))
    .filter(Boolean);

  const words: string[] = [];
  const nameParts: string[] = [];
  let streetKind: string | null = null;
  let expect: 'house' | 'apartment' | 'building' | null = null;
  let house: string | null = null;
  let apartment: string | null = null;
  let marked = false;
  const loose: string[] = [];
  /** the last number and where it went, for a Kazakh word that comes after it */
  let last: { value: string; slot: 'house' | 'apartment' } | null = null;

  const put = (value: string, slot: 'house' | 'apartment' | 'building' | null) => {
    if (slot === 'building' && house !== null) house = `${house}к${value}`;
    else if (slot === 'house' || (slot !== 'apartment' && house === null)) {
      house = value;
      last = { value, slot: 'house' };
    } else if (slot === 'apartment' || apartment === null) {
      apartment = value;
      last = { value, slot: 'apartment' };
    }
  };

  for (const token of tokens) {
    const bare = token.replace(/\./g, '');
    if (STREET_KINDS[bare]) {
      streetKind ??= STREET_KINDS[bare]!;
      continue;
    }
    if (PLACE_WORDS.has(bare)) continue;
    if (HOUSE_WORDS.has(bare)) {
      expect = 'house';
      marked = true;
      continue;
    }
    if (APARTMENT_WORDS.has(bare)) {
      expect = 'apartment';
      marked = true;
      continue;
    }
    if (BUILDING_WORDS.has(bare) && house !== null) {
      expect = 'building';
      continue;
    }
    if (HOUSE_AFTER.has(bare) || APARTMENT_AFTER.has(bare)) {
      // The number before it was this: move it there.
      marked = true;
      const slot = HOUSE_AFTER.has(bare) ? 'house' : 'apartment';
      if (last && last.slot !== slot) {
        if (last.slot === 'house') house = null;
        else apartment = null;
        if (slot === 'house') house = last.value;
        else apartment = last.value;
        last = { value: last.value, slot };
      }
      continue;
    }
    const dashed = DASHED.exec(token);
    if (dashed) {
      // '10-25' is house 10, apartment 25; after 'корп.' '3-26' is building 3, apartment 26.
      if (expect === 'building' && house !== null) house = `${house}к${dashed[1]}`;
      else if (house === null) house = dashed[1]!;
      else {
        loose.push(dashed[1]!, dashed[2]!);
        continue;
      }
      apartment = dashed[2]!;
      loose.push(dashed[1]!, dashed[2]!);
      expect = null;
      continue;
    }
    if (NUMBER_TOKEN.test(token) || /^\d/.test(token)) {
      if (expect === null) loose.push(token);
      put(token, expect);
      nameParts.push(token);
      expect = null;
      continue;
    }
    // A single letter right after a number is its letter: 'д. 10 А' → 10а, 'кв. 25 А' → 25а.
    if (/^\p{L}$/u.test(token) && (house !== null || apartment !== null)) {
      if (apartment !== null) apartment += token;
      else house += token;
      continue;
    }
    if (LEGAL_FORM_WORDS.has(bare)) continue;
    const key = foldKey(token);
    if (key) {
      words.push(key);
      nameParts.push(key);
    }
  }
  return {
    kind: 'text',
    words: words.slice(0, 6),
    house: house === null ? null : houseKey(house),
    apartment: apartment === null ? null : apartmentKey(apartment, null),
    streetKind,
    looseNumbers: marked ? null : loose.map((n) => houseKey(n)),
    name: foldKey(nameParts.join('')),
  };
}
