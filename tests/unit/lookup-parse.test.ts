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
    for (const text of ['Д-2019/0457', 'д-2019/0457', 'D-2019/457', 'Д 2019/0457', 'д2019/0457'])
      expect(parseContract(text)).toBe('Д-2019/0457');
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
    expect(parseQuery('😀💧')).toMatchObject({ kind: 'text', words: [], house: null, apartment: null });
  });
});

describe('parseQuery: what customers say', () => {
  const text = (q: string) => {
    const parsed = parseQuery(q);
    if (parsed.kind !== 'text') throw new Error(`${q} was not taken as words: ${JSON.stringify(parsed)}`);
    return parsed;
  };

  it.each([
    ['бул. Тургенева 32/1-25', ['тургенева'], '32/1', '25', 'бул.'],
    ['Жубанова д104В кв25', ['жубанова'], '104в', '25', null],
    ['ул. Шевченко 10', ['шевченко'], '10', null, 'ул.'],
    ['пр-т Достык 5', ['достык'], '5', null, 'пр.'],
    ['Шевченко пр. 10', ['шевченко'], '10', null, 'пр.'],
    ['пер Школьный 3', ['школьныи'], '3', null, 'пер.'],
    ['мкр Самал-2 дом 5', ['самал2'], '5', null, 'мкр.'],
    ['Тәуелсіздік 58 үй 8 пәтер', ['тауелсиздик'], '58', '8', null],
    ['8 пәтер 58 үй Тәуелсіздік', ['тауелсиздик'], '58', '8', null],
    ['Абая 10к2-14', ['абая'], '10к2', '14', null],
  ])('addresses: %s', (q, words, house, apartment, kind) => {
    expect(text(q)).toMatchObject({ words, house, apartment, streetKind: kind });
  });

  it('a microdistrict said with its number apart keeps the numbers in order for the lookup to decide', () => {
    expect(text('Самал 10 13')).toMatchObject({ words: ['самал'], looseNumbers: ['10', '13'] });
    expect(text('Коктем 2 17-5')).toMatchObject({ words: ['коктем'], looseNumbers: ['2', '17', '5'] });
    expect(text('Самал д. 10 кв. 13').looseNumbers).toBeNull(); // marked: they are what they say
  });

  it.each([
    ['ТОО Береке', 'береке'],
    ['ТОО «Береке»', 'береке'],
    ['Алатау Сервис', 'алатаусервис'],
    ['Школа №45', 'школа45'],
    ['ип "Ақ Бидай"', 'акбидаи'],
  ])('an organisation by its whole name, without its legal form: %s', (q, name) => {
    expect(text(q).name).toBe(name);
  });

  it.each([
    ['№100376', '100376'],
    ['№ 100376', '100376'],
    ['л/с 100376', '100376'],
    ['Л/С: 100376', '100376'],
    ['лицевой счёт 100376', '100376'],
    ['１００３７６', '100376'],
  ])('account numbers with their words or in full-width digits: %s', (q, number) => {
    expect(parseQuery(q)).toMatchObject({ kind: 'account', number });
  });

  it('leading zeros are tried as typed and without', () => {
    expect(parseQuery('0100376')).toMatchObject({ kind: 'account', number: '0100376', alternatives: ['100376'] });
  });

  it('seven digits: a city number as people dictate it, or an account that may also be the end of a mobile', () => {
    expect(parseQuery('265-36-95')).toEqual({ kind: 'phone', number: '77272653695' });
    expect(parseQuery('265 36 95')).toEqual({ kind: 'phone', number: '77272653695' });
    expect(parseQuery('2653695')).toMatchObject({ kind: 'account', number: '2653695', phoneSuffix: '2653695' });
  });

  it('IIN/BIN and contracts with their words', () => {
    expect(parseQuery('ИИН 990240001237')).toEqual({ kind: 'iin', value: '990240001237' });
    expect(parseQuery('БИН: 990240001237')).toEqual({ kind: 'iin', value: '990240001237' });
    expect(parseQuery('ИИН 990240001238')).toMatchObject({ kind: 'invalid', reason: 'iinChecksum' });
    expect(parseQuery('договор Д-2007/0200')).toEqual({ kind: 'contract', value: 'Д-2007/0200' });
    expect(parseQuery('дог. д2007/200')).toEqual({ kind: 'contract', value: 'Д-2007/0200' });
  });
});
