import { describe, expect, it } from 'vitest';
import { apartmentKey, editDistance, foldKey, houseKey, ownerNameKey } from '../../src-shared/lookup/normalize';
import { parseContract, parsePhone, parseQuery } from '../../src-shared/lookup/parse';

describe('search keys', () => {
  it('fold case, ё/е and Kazakh letters, drop punctuation', () => {
    expect(foldKey('Сейітқали')).toBe(foldKey('СЕЙИТКАЛИ'));
    expect(foldKey('Соловьёв')).toBe('соловьев');
    expect(foldKey('Әуезов')).toBe('ауезов');
    expect(foldKey('Аль-Фараби')).toBe('альфараби');
    expect(ownerNameKey(null, 'ТОО «Алатау Сервис»')).toBe('алатаусервис');
    expect(houseKey('12 корп. 2')).toBe('12к2');
    expect(houseKey('12А')).toBe('12а');
    expect(houseKey('12/1')).toBe('12/1');
    expect(apartmentKey('25', 'А')).toBe('25а');
    expect(apartmentKey(null, null)).toBeNull();
  });

  it('tell one typo from two', () => {
    expect(editDistance('иванова', 'иванова')).toBe(0);
    expect(editDistance('иванова', 'ивонова')).toBe(1);
    expect(editDistance('иванова', 'иваова')).toBe(1);
    expect(editDistance('иванова', 'иавнова')).toBe(1); // transposition
    expect(editDistance('иванова', 'ивнаоав')).toBe(2);
  });
});

describe('parseQuery', () => {
  it.each([
    ['123456', { kind: 'account', number: '123456', phone: null }],
    ['  1234567890 ', { kind: 'account', number: '1234567890', phone: null }],
    ['7011234567', { kind: 'account', number: '7011234567', phone: '77011234567' }],
  ])('6–10 digits are an account number: %s', (text, expected) => {
    expect(parseQuery(text)).toEqual(expected);
  });

  it.each(['+7 701 123 45 67', '87011234567', '77011234567', '701-123-45-67', '8 (701) 123-45-67', '+77011234567'])(
    'a phone in any usual form: %s',
    (text) => {
      expect(parseQuery(text)).toEqual({ kind: 'phone', number: '77011234567' });
    },
  );

  it('12 digits are an IIN/BIN, checksum verified', () => {
    expect(parseQuery('850101300012')).toMatchObject({ kind: expect.stringMatching(/^(iin|invalid)$/) });
    expect(parseQuery('990240001237')).toEqual({ kind: 'iin', value: '990240001237' });
    expect(parseQuery('990240001238')).toEqual({ kind: 'invalid', reason: 'iinChecksum', value: '990240001238' });
  });

  it('an 11-digit number that is no phone is said to be invalid, not searched', () => {
    expect(parseQuery('85010130001')).toEqual({ kind: 'invalid', reason: 'digitCount', value: '85010130001' });
  });

  it('letters in a phone make it text, never a phone', () => {
    expect(parseQuery('+7 70l 123 45 67').kind).toBe('text');
    expect(parsePhone('+7 70l 123 45 67')).toBeNull();
  });

  it('contracts: Д-2019/0457 in any case, Latin D, short serial', () => {
    for (const text of ['Д-2019/0457', 'д-2019/0457', 'D-2019/457', 'Д 2019/0457', 'д2019/0457']) expect(parseContract(text)).toBe('Д-2019/0457');
    expect(parseQuery('Д-2019/0457')).toEqual({ kind: 'contract', value: 'Д-2019/0457' });
  });

  it.each([
    ['Абая 10-25', ['абая'], '10', '25'],
    ['абая 10 кв 25а', ['абая'], '10', '25а'],
    ['ул. Абая, д. 10, кв. 25 А', ['абая'], '10', '25а'],
    ['Иванов Абая 10', ['иванов', 'абая'], '10', null],
    ['Сейітқали', ['сеииткали'], null, null],
    ['мкр. Самал-2, 12 корп. 3 кв. 7', ['самал2'], '12к3', '7'],
    ['Хаджи Мукана 10 корп. 3-26', ['хаджи', 'мукана'], '10к3', '26'],
    ['пр. Достык 12/1', ['достык'], '12/1', null],
  ])('words and numbers of an address: %s', (text, words, house, apartment) => {
    const parsed = parseQuery(text);
    expect(parsed.kind).toBe('text');
    if (parsed.kind !== 'text') return;
    expect(parsed.words).toEqual(words);
    expect(parsed.house).toBe(house);
    expect(parsed.apartment).toBe(apartment);
  });

  it('survives empty, whitespace, SQL/FTS syntax, emoji and 10 000 characters', () => {
    expect(parseQuery('')).toEqual({ kind: 'empty' });
    expect(parseQuery('   \t ')).toEqual({ kind: 'empty' });
    for (const text of ['"', '*', 'OR', 'NEAR(', "'; DROP TABLE accounts; --", '😀💧', 'x'.repeat(10_000)]) {
      expect(() => parseQuery(text)).not.toThrow();
    }
    expect(parseQuery('😀💧')).toEqual({ kind: 'text', words: [], house: null, apartment: null });
  });
});
