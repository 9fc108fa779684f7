// Understands what an operator typed into the one search box. Digits decide by their count (and
// shape): 6–10 → account number (10 starting with 7 may also be a phone), 12 → IIN/BIN (checksum
// verified), a phone in any usual Kazakh form → phone, `Д-2019/0457` → contract; anything else is
// words: a street and/or a surname, with house and apartment numbers.
import { isValidIinBin } from '../domain/iin';
import { apartmentKey, foldKey, houseKey } from './normalize';

export type ParsedQuery =
  | { kind: 'empty' }
  | { kind: 'account'; number: string; phone: string | null }
  | { kind: 'iin'; value: string }
  | { kind: 'phone'; number: string }
  | { kind: 'contract'; value: string }
  | { kind: 'invalid'; reason: 'iinChecksum' | 'digitCount'; value: string }
  | { kind: 'text'; words: string[]; house: string | null; apartment: string | null };

export const MAX_QUERY_LENGTH = 200;

const STREET_WORDS = new Set(['ул', 'улица', 'пр', 'проспект', 'пр-т', 'мкр', 'микрорайон', 'мкрн', 'пер', 'переулок', 'бул', 'бульвар', 'г', 'город', 'алматы', 'көш', 'даңғ', 'шағынаудан']);
const HOUSE_WORDS = new Set(['д', 'дом', 'үй']);
const APARTMENT_WORDS = new Set(['кв', 'квартира', 'пәтер', 'оф', 'офис']);
const BUILDING_WORDS = new Set(['к', 'корп', 'корпус']);

/** A phone in any usual form, as '7XXXXXXXXXX', or null. */
export function parsePhone(text: string): string | null {
  const compact = text.replace(/[\s\-().]/g, '');
  const match = /^(?:\+7|8|7)?(7\d{9})$/.exec(compact);
  if (!match) return null;
  return `7${match[1]}`;
}

/** 'Д-2019/0457' in any case, with a Latin D, without the dash or with a short serial. */
export function parseContract(text: string): string | null {
  const match = /^[ДдDd]\s*-?\s*(\d{4})\s*\/\s*(\d{1,4})$/.exec(text.trim());
  return match ? `Д-${match[1]}/${match[2]!.padStart(4, '0')}` : null;
}

export function parseQuery(input: string): ParsedQuery {
  const text = input.slice(0, MAX_QUERY_LENGTH).trim();
  if (!text) return { kind: 'empty' };

  const contract = parseContract(text);
  if (contract) return { kind: 'contract', value: contract };

  const digitsOnly = /^[\d\s\-+()]+$/.test(text);
  if (digitsOnly) {
    const digits = text.replace(/\D/g, '');
    const looksLikePhone = /[+\-()\s]/.test(text) || digits.length === 11;
    if (looksLikePhone) {
      const phone = parsePhone(text);
      if (phone) return { kind: 'phone', number: phone };
    }
    if (digits.length === 12) return isValidIinBin(digits) ? { kind: 'iin', value: digits } : { kind: 'invalid', reason: 'iinChecksum', value: digits };
    if (digits.length >= 6 && digits.length <= 10 && !/[+()]/.test(text)) {
      return { kind: 'account', number: digits, phone: digits.length === 10 ? parsePhone(digits) : null };
    }
    if (digits.length >= 6) return { kind: 'invalid', reason: 'digitCount', value: digits };
  }
  return parseWords(text);
}

/** Words and numbers of an address and/or a name: 'ул. Абая, д. 10, кв. 25 А', 'Иванов Абая 10-25'. */
function parseWords(text: string): ParsedQuery {
  // Split letters from digits ('кв25а' → 'кв 25а'), keep '10/1' and '10-25' together for now.
  const tokens = text
    .toLowerCase()
    .replace(/[,;:«»"'`*()[\]{}^~<>=!?&|@#$%\\]/g, ' ')
    .replace(/(\p{L})\.(?=\s*\S)/gu, '$1 ')
    .replace(/([a-zа-яёәғқңөұүһі]{2,})(\d)/gu, '$1 $2')
    .split(/\s+/)
    .map((t) => t.replace(/^[.\-/]+|[.\-/]+$/g, ''))
    .filter(Boolean);

  const words: string[] = [];
  const numbers: string[] = [];
  let expect: 'house' | 'apartment' | 'building' | null = null;
  let house: string | null = null;
  let apartment: string | null = null;

  const takeNumber = (value: string, slot: 'house' | 'apartment' | 'building' | null) => {
    if (slot === 'building' && house !== null) house = `${house}к${value}`;
    else if (slot === 'apartment') apartment = value;
    else if (slot === 'house' || house === null) house = value;
    else if (apartment === null) apartment = value;
    else numbers.push(value);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const bare = token.replace(/\./g, '');
    if (HOUSE_WORDS.has(bare)) {
      expect = 'house';
      continue;
    }
    if (APARTMENT_WORDS.has(bare)) {
      expect = 'apartment';
      continue;
    }
    if (BUILDING_WORDS.has(bare) && house !== null) {
      expect = 'building';
      continue;
    }
    if (STREET_WORDS.has(bare)) continue;
    const dashed = /^(\d+[a-zа-яёәғқңөұүһі]?)-(\d+[a-zа-яёәғқңөұүһі]?)$/u.exec(token);
    if (dashed && (house === null || expect === 'building')) {
      // '10-25' is house 10, apartment 25; after 'корп.' '3-26' is building 3, apartment 26.
      house = house === null ? dashed[1]! : `${house}к${dashed[1]}`;
      apartment = dashed[2]!;
      expect = null;
      continue;
    }
    if (/^\d/.test(token)) {
      takeNumber(token, expect);
      expect = null;
      continue;
    }
    // A single letter right after a number is its letter: 'д. 10 А' → 10а, 'кв. 25 А' → 25а.
    if (/^\p{L}$/u.test(token) && (house !== null || apartment !== null)) {
      if (apartment !== null) apartment += token;
      else house += token;
      continue;
    }
    const key = foldKey(token);
    if (key) words.push(key);
  }
  return {
    kind: 'text',
    words: words.slice(0, 6),
    house: house === null ? null : houseKey(house),
    apartment: apartment === null ? null : apartmentKey(apartment, null),
  };
}
