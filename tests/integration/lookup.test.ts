import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountCard, LookupSearchOutput } from '../../src-shared/schemas/lookup';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(3_000, 1);
});
afterAll(() => demo.cleanup());

async function search(input: Record<string, unknown>): Promise<LookupSearchOutput> {
  const outcome = await demo.core.services.dispatch('lookup.search', input);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as LookupSearchOutput;
}
const text = (t: string, limit = 20) => search({ text: t, limit });

interface Row {
  id: number;
  number: string;
  surname: string | null;
  first_name: string | null;
  iin_bin: string;
  contract_number: string | null;
  street_id: number;
  street: string;
  house: string;
  apartment: string | null;
  apartment_prefix: string | null;
  phone: string | null;
}
const ROW = `SELECT a.id, a.number, o.surname, o.first_name, o.iin_bin, a.contract_number, s.id AS street_id, s.name AS street, b.house,
                    p.apartment, p.apartment_prefix, (SELECT number FROM phones WHERE account_id = a.id ORDER BY id LIMIT 1) AS phone
               FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
               JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id`;
const one = (where: string) => demo.core.db.prepare(`${ROW} WHERE ${where} ORDER BY a.id LIMIT 1`).get() as Row;

describe('lookup.search by identifiers', () => {
  it('finds an account by its number, exactly', async () => {
    const target = one("a.kind = 'individual'");
    const result = await text(target.number);
    expect(result.understood).toEqual({ kind: 'account', value: target.number });
    expect(result.hits.map((h) => [h.accountId, h.matchedBy])).toEqual([[target.id, 'account']]);
  });

  it('finds by phone in any usual form', async () => {
    const target = one(
      '(SELECT count(*) FROM phones WHERE account_id = a.id) = 1 AND (SELECT count(*) FROM phones p2 WHERE p2.number = (SELECT number FROM phones WHERE account_id = a.id)) = 1',
    );
    const p = target.phone!;
    for (const form of [
      `+7 ${p.slice(1, 4)} ${p.slice(4, 7)} ${p.slice(7, 9)} ${p.slice(9)}`,
      `8${p.slice(1)}`,
      `${p.slice(1, 4)}-${p.slice(4, 7)}-${p.slice(7, 9)}-${p.slice(9)}`,
    ]) {
      const result = await text(form);
      expect(result.understood.kind).toBe('phone');
      expect(result.hits.map((h) => h.accountId)).toEqual([target.id]);
      expect(result.hits[0]!.matchedBy).toBe('phone');
    }
  });

  it('finds by IIN with the IIN masked in the result; an invalid IIN is said to be invalid', async () => {
    const target = one("a.kind = 'individual'");
    const result = await text(target.iin_bin);
    expect(result.hits.map((h) => h.accountId)).toContain(target.id);
    expect(result.hits[0]!.iinMasked).toBe(`${target.iin_bin.slice(0, 6)}******`);
    const wrong = `${target.iin_bin.slice(0, 11)}${(Number(target.iin_bin[11]) + 1) % 10}`;
    const invalid = await text(wrong);
    expect(invalid.understood).toEqual({ kind: 'invalid', reason: 'iinChecksum', value: wrong });
    expect(invalid.hits).toEqual([]);
  });

  it('finds a legal entity by contract number and by BIN', async () => {
    const target = one("a.kind = 'legal'");
    const byContract = await text(target.contract_number!.toLowerCase());
    expect(byContract.hits.map((h) => [h.accountId, h.matchedBy, h.kind])).toEqual([[target.id, 'contract', 'legal']]);
    const byBin = await text(target.iin_bin);
    expect(byBin.hits.map((h) => h.accountId)).toContain(target.id);
  });
});

describe('lookup.search by address and name', () => {
  it('an address typed in lower case in several forms puts that apartment first', async () => {
    const target = one(
      "p.apartment IS NOT NULL AND p.apartment_prefix IS NULL AND b.house GLOB '[0-9]*' AND b.house NOT GLOB '*[^0-9]*' AND s.kind = 'ул.'",
    );
    const forms = [
      `${target.street.toLowerCase()} ${target.house}-${target.apartment}`,
      `${target.street.toLowerCase()} ${target.house} кв ${target.apartment}`,
      `ул. ${target.street}, д. ${target.house}, кв. ${target.apartment}`,
    ];
    for (const form of forms) {
      const result = await text(form);
      expect(result.hits[0]?.accountId, form).toBe(target.id);
      expect(result.hits[0]!.matchedBy).toBe('address');
    }
  });

  it('an apartment with a prefix (литера) is found as "25 А" and as "25а"', async () => {
    const target = one('p.apartment_prefix IS NOT NULL');
    for (const apartment of [
      `${target.apartment} ${target.apartment_prefix}`,
      `${target.apartment}${target.apartment_prefix!.toLowerCase()}`,
    ]) {
      const result = await text(`${target.street} ${target.house} кв ${apartment}`);
      expect(result.hits[0]?.accountId).toBe(target.id);
    }
  });

  it('a private house is found without an apartment', async () => {
    const target = one('b.is_private = 1');
    const result = await text(`${target.street} ${target.house}`);
    expect(result.hits.map((h) => h.accountId)).toContain(target.id);
    expect(result.hits.find((h) => h.accountId === target.id)!.address.apartment).toBeNull();
  });

  it('surname plus street and house ranks the owner first', async () => {
    const target = one("a.kind = 'individual' AND p.apartment IS NOT NULL");
    const result = await text(`${target.surname} ${target.street} ${target.house}`);
    expect(result.hits[0]!.accountId).toBe(target.id);
    expect(result.hits[0]!.matchedBy).toBe('addressSurname');
  });

  it('a surname in any case, with е for ё and without Kazakh letters', async () => {
    const yo = one("o.surname LIKE '%ё%'");
    const withE = await text(yo.surname!.replace(/ё/g, 'е').toUpperCase(), 100);
    expect(withE.hits.some((h) => h.accountId === yo.id)).toBe(true);
    const kazakh = one("o.surname GLOB '*[әғқңөұүһі]*'");
    const plain = kazakh
      .surname!.replace(/ә/g, 'а')
      .replace(/ғ/g, 'г')
      .replace(/қ/g, 'к')
      .replace(/ң/g, 'н')
      .replace(/ө/g, 'о')
      .replace(/[ұү]/g, 'у')
      .replace(/һ/g, 'х')
      .replace(/і/g, 'и');
    const found = await search({ text: `${plain.toLowerCase()} ${kazakh.first_name}`, limit: 100 });
    expect(found.hits.some((h) => h.accountId === kazakh.id)).toBe(true);
    expect(found.hits.every((h) => h.matchedBy === 'surname' && !h.typo)).toBe(true);
  });

  it('a surname prefix finds surnames that start with it, shortest first', async () => {
    const result = await text('Иван', 10);
    expect(result.hits.length).toBe(10);
    expect(result.hits[0]!.owner).toMatch(/^Иванов /); // the shortest completion first
    expect(result.hits.every((h) => /^Иван/.test(h.owner))).toBe(true);
    expect(result.hasMore).toBe(true);
  });

  it('a one-letter typo in a surname still finds it, ranked below exact matches', async () => {
    const target = one("o.surname = 'Кузнецова'");
    const result = await text('Кузнецева', 100);
    expect(result.hits.some((h) => h.accountId === target.id && h.typo)).toBe(true);
    const exact = await text('Кузнецова', 100);
    const firstTypo = exact.hits.findIndex((h) => h.typo);
    expect(exact.hits[0]!.typo).toBe(false);
    expect(exact.hits.slice(firstTypo < 0 ? exact.hits.length : firstTypo).every((h) => h.typo)).toBe(true);
  });

  it('a one-letter typo in a street with a house still finds the address', async () => {
    const target = one(
      "p.apartment IS NOT NULL AND length(s.name) >= 6 AND s.name NOT LIKE '% %' AND s.name NOT LIKE '%-%'",
    );
    const misspelt = `${target.street.slice(0, 2)}${target.street[3]}${target.street[2]}${target.street.slice(4)}`; // two letters swapped
    const result = await text(`${misspelt} ${target.house} ${target.apartment}`);
    expect(result.hits.map((h) => h.accountId)).toContain(target.id);
    expect(result.hits.find((h) => h.accountId === target.id)!.typo).toBe(true);
  });

  it('pages: offset and limit walk the same ranking without repeats', async () => {
    const all = await search({ text: 'Иван', limit: 12, offset: 0 });
    const first = await search({ text: 'Иван', limit: 6, offset: 0 });
    const second = await search({ text: 'Иван', limit: 6, offset: 6 });
    expect(first.hasMore).toBe(true);
    expect([...first.hits, ...second.hits].map((h) => h.accountId)).toEqual(all.hits.map((h) => h.accountId));
    expect(new Set(all.hits.map((h) => h.accountId)).size).toBe(12);
  });
});

describe('structured address search and the street picker', () => {
  it('street picker autocompletes by prefix, case- and letter-insensitively', async () => {
    const street = one("s.name NOT LIKE '% %' AND s.name NOT LIKE '%-%'").street;
    const outcome = await demo.core.services.dispatch('lookup.streets', { text: street.slice(0, 3).toUpperCase() });
    expect(outcome.ok).toBe(true);
    const streets = (outcome as { result: { streets: { name: string }[] } }).result.streets;
    expect(streets.map((s) => s.name)).toContain(street);
    expect(
      streets.every(
        (s) =>
          s.name.toLowerCase().startsWith(street.slice(0, 3).toLowerCase()) || / /.test(s.name) || /-/.test(s.name),
      ),
    ).toBe(true);
  });

  it('street + house + apartment + prefix + surname in any capitalisation finds the one account', async () => {
    const target = one('p.apartment_prefix IS NOT NULL');
    const result = await search({
      address: {
        streetId: target.street_id,
        house: target.house.toLowerCase(),
        apartment: target.apartment!,
        prefix: target.apartment_prefix!.toLowerCase(),
        surname: (target.surname ?? '').toUpperCase(),
      },
    });
    expect(result.understood.kind).toBe('address');
    expect(result.hits[0]!.accountId).toBe(target.id);
  });
});

describe('accounts.get', () => {
  it('returns the card: owner, address, phones, meters with verification, balance', async () => {
    const target = one(
      "(SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL AND m.next_verification_on < '2026-11-20') > 0",
    );
    const outcome = await demo.core.services.dispatch('accounts.get', { accountId: target.id });
    expect(outcome.ok).toBe(true);
    const card = (outcome as { result: AccountCard }).result;
    expect(card.number).toBe(target.number);
    expect(card.owner.name.startsWith(target.surname ?? '')).toBe(true);
    expect(card.owner.iinMasked).toMatch(/^\d{6}\*{6}$/);
    expect(card.address.street).toBe(target.street);
    expect(card.meters.some((m) => m.verification === 'overdue')).toBe(true);
    expect(card.phones[0]?.number ?? null).toBe(target.phone);
  });

  it('NOT_FOUND for an account that does not exist; VALIDATION for a bad id', async () => {
    expect(await demo.core.services.dispatch('accounts.get', { accountId: 99_999_999 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await demo.core.services.dispatch('accounts.get', { accountId: -1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});

describe('bad input', () => {
  it.each(['', '   ', '"', '*', 'OR', 'NEAR(', "Абая' OR 1=1 --", '"Абая" NEAR(10)', '😀', 'абая 😀 10'])(
    'gets hits or an empty result, never an error: %s',
    async (input) => {
      const outcome = await demo.core.services.dispatch('lookup.search', { text: input });
      expect(outcome.ok).toBe(true);
      expect(Array.isArray((outcome as { result: LookupSearchOutput }).result.hits)).toBe(true);
    },
  );

  it('takes 10 000 characters without an error', async () => {
    const outcome = await demo.core.services.dispatch('lookup.search', { text: 'Абая 10 '.repeat(1_250) });
    expect(outcome.ok).toBe(true);
  });

  it('refuses an oversized or malformed request with VALIDATION and changes nothing', async () => {
    const before = demo.core.db.prepare('SELECT count(*) FROM accounts').pluck().get();
    expect(await demo.core.services.dispatch('lookup.search', { text: 'x'.repeat(20_001) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await demo.core.services.dispatch('lookup.search', { text: 5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await demo.core.services.dispatch('lookup.search', { text: 'a', limit: 1000 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(demo.core.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(before);
  });
});
