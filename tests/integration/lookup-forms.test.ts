// The addresses, names and numbers people say, each on real rows of a 20 000-account demo city: the
// account meant comes first (or, for a list, the list is the one meant, complete and in order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupHit, LookupSearchOutput } from '../../src-shared/schemas/lookup';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(20_000, 1);
}, 300_000);
afterAll(() => demo.cleanup());

async function search(input: Record<string, unknown>): Promise<LookupSearchOutput> {
  const outcome = await demo.core.services.dispatch('lookup.search', input);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as LookupSearchOutput;
}
const first = async (text: string) => (await search({ text, limit: 20 })).hits[0];

interface Row {
  id: number;
  number: string;
  surname: string | null;
  organisation: string | null;
  kind: string;
  street: string;
  house: string;
  apartment: string | null;
  phone: string | null;
  district: string;
}
const ROW = `SELECT a.id, a.number, o.surname, o.organisation, s.kind, s.name AS street, b.house, p.apartment, d.name AS district,
                    (SELECT number FROM phones WHERE account_id = a.id ORDER BY id LIMIT 1) AS phone
               FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
               JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id JOIN districts d ON d.id = a.district_id`;
const one = (where: string, ...params: unknown[]) => {
  const row = demo.core.db.prepare(`${ROW} WHERE ${where} ORDER BY a.id LIMIT 1`).get(...params) as Row | undefined;
  if (!row) throw new Error(`no demo row where ${where}`);
  return row;
};
/** One account alone at its apartment (so "first" is that account). */
const alone =
  'p.apartment IS NOT NULL AND (SELECT count(*) FROM premises p2 WHERE p2.building_id = p.building_id AND p2.apartment = p.apartment) = 1';

describe('addresses as people say them', () => {
  it('a house with a slash and the apartment after a dash, the street kind first: бул. Тургенева 32/1-25', async () => {
    const target = one(`b.house LIKE '%/%' AND ${alone} AND s.kind = 'бул.'`);
    const hit = await first(`бул. ${target.street} ${target.house}-${target.apartment}`);
    expect(hit?.accountId).toBe(target.id);
    const plain = one(`b.house LIKE '%/%' AND ${alone}`);
    expect((await first(`${plain.street} ${plain.house}-${plain.apartment}`))?.accountId).toBe(plain.id);
  });

  it('д and кв glued to their numbers, a house with a letter: Жубанова д104В кв25 — only that house', async () => {
    const target = one(`b.house GLOB '[0-9]*[АБВ]' AND ${alone}`);
    const result = await search({ text: `${target.street} д${target.house} кв${target.apartment}`, limit: 50 });
    expect(result.hits[0]?.accountId).toBe(target.id);
    expect(
      result.hits
        .filter((h) => h.matchedBy === 'address')
        .every((h) => h.address.house.toLowerCase().startsWith(target.house.toLowerCase())),
    ).toBe(true);
  });

  it('a microdistrict with its number apart, by space or dash: Самал 10 13, Коктем 2 17-5', async () => {
    const target = one(
      `s.kind = 'мкр.' AND s.name LIKE '%-%' AND ${alone} AND b.house GLOB '[0-9]*' AND b.house NOT GLOB '*[^0-9]*'`,
    );
    const [name, n] = target.street.split('-');
    expect((await first(`${name} ${n} ${target.house} ${target.apartment}`))?.accountId).toBe(target.id);
    expect((await first(`${name} ${n} ${target.house}-${target.apartment}`))?.accountId).toBe(target.id);
    expect((await first(`мкр ${name}-${n}, д. ${target.house}, кв. ${target.apartment}`))?.accountId).toBe(target.id);
  });

  it('the street kind said decides between streets of one name: ул. Шевченко 10 before пр. Шевченко 10', async () => {
    const shared = demo.core.db
      .prepare<[], { name: string }>(
        `SELECT s.name FROM streets s WHERE (SELECT count(DISTINCT kind) FROM streets x WHERE x.name = s.name) > 1
           AND EXISTS (SELECT 1 FROM buildings b WHERE b.street_id = s.id) GROUP BY s.name HAVING count(*) > 1 LIMIT 1`,
      )
      .get()!;
    for (const kind of demo.core.db
      .prepare<[string], string>(
        'SELECT DISTINCT kind FROM streets WHERE name = ? AND EXISTS (SELECT 1 FROM buildings b WHERE b.street_id = streets.id)',
      )
      .pluck()
      .all(shared.name)) {
      const result = await search({ text: `${kind} ${shared.name}`, limit: 5 });
      expect(result.hits[0]?.address.streetKind, `${kind} ${shared.name}`).toBe(kind);
      const written = kind === 'пр.' ? 'пр-т' : kind.replace('.', '');
      expect((await search({ text: `${written} ${shared.name}`, limit: 5 })).hits[0]?.address.streetKind).toBe(kind);
    }
  });

  it('the Kazakh order: Тәуелсіздік 58 үй 8 пәтер', async () => {
    const target = one(`${alone} AND b.house GLOB '[0-9]*' AND b.house NOT GLOB '*[^0-9]*'`);
    expect((await first(`${target.street} ${target.house} үй ${target.apartment} пәтер`))?.accountId).toBe(target.id);
  });

  it('a former (Russian) name of a renamed street: Независимости', async () => {
    const target = one(
      `EXISTS (SELECT 1 FROM street_aliases x WHERE x.street_id = s.id) AND ${alone} AND b.house NOT GLOB '*[^0-9]*'`,
    );
    const alias = demo.core.db
      .prepare<[string], string>(
        'SELECT x.name FROM street_aliases x JOIN streets s ON s.id = x.street_id WHERE s.name = ? LIMIT 1',
      )
      .pluck()
      .get(target.street)!;
    expect((await first(`${alias} ${target.house}-${target.apartment}`))?.accountId).toBe(target.id);
    const streets = await demo.core.services.dispatch('lookup.streets', { text: alias.slice(0, 5), limit: 10 });
    expect(
      (streets as { ok: true; result: { streets: { name: string }[] } }).result.streets.map((s) => s.name),
    ).toContain(target.street);
  });

  it('a street alone is listed building by building in natural order, whole, page after page', async () => {
    const street = demo.core.db
      .prepare<[], { id: number; name: string; kind: string; n: number }>(
        `SELECT s.id, s.name, s.kind, count(*) AS n FROM accounts a JOIN premises p ON p.id = a.premise_id JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id
          WHERE (SELECT count(*) FROM streets x WHERE x.name = s.name) = 1 GROUP BY s.id ORDER BY n DESC LIMIT 1`,
      )
      .get()!;
    expect(street.n).toBeGreaterThan(150);
    const all: LookupHit[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await search({ text: `${street.kind} ${street.name}`, limit: 100, offset });
      all.push(...page.hits.filter((h) => h.matchedBy === 'street'));
      if (!page.hasMore) break;
    }
    expect(all).toHaveLength(street.n);
    const houses = all.map((h) => h.address.house);
    // Each building once, as one run, in natural order; apartments within it in natural order.
    const runs = houses.filter((h, i) => i === 0 || houses[i - 1] !== h);
    expect(new Set(runs).size).toBe(runs.length);
    const num = (s: string) => parseInt(s, 10);
    for (let i = 1; i < runs.length; i++) expect(num(runs[i]!)).toBeGreaterThanOrEqual(num(runs[i - 1]!));
    for (let i = 1; i < all.length; i++) {
      if (houses[i] === houses[i - 1] && all[i]!.address.apartment && all[i - 1]!.address.apartment)
        expect(num(all[i]!.address.apartment!)).toBeGreaterThanOrEqual(num(all[i - 1]!.address.apartment!));
    }
  });
});

describe('organisations and people', () => {
  it('organisations by their name, with or without the legal form and quotes: ТОО Береке, ТОО «Береке», Алатау Сервис, Школа №45', async () => {
    for (const name of ['Береке', 'Алатау Сервис', 'Школа №45']) {
      const target = one(`o.organisation LIKE ?`, `%«${name}»`);
      const form = target.organisation!.split(' ')[0];
      for (const query of [name, `${form} ${name}`, `${form} «${name}»`]) {
        const hit = await first(query);
        expect(hit?.owner, query).toBe(target.organisation);
        expect(hit?.matchedBy, query).toBe('organisation');
      }
    }
  });

  it('an organisation whose name also begins a street («Тау Самал», «Детский сад Балапан») comes before the street and is found by its name', async () => {
    for (const name of ['Тау Самал', 'Детский сад Балапан']) {
      const target = one(`o.organisation LIKE ?`, `%«${name}»`);
      const { hits } = await search({ text: name, limit: 20 });
      expect(hits[0]?.owner, name).toMatch(new RegExp(`«${name}»$`));
      expect(hits[0]?.matchedBy, name).toBe('organisation');
      expect(
        hits.map((h) => h.accountId),
        name,
      ).toContain(target.id);
    }
  });

  it('namesakes come sorted by first name and patronymic, each row with phone and district', async () => {
    const surname = demo.core.db
      .prepare<[], string>(
        "SELECT name_key FROM owners WHERE kind = 'individual' GROUP BY name_key ORDER BY count(*) DESC LIMIT 1",
      )
      .pluck()
      .get()!;
    const result = await search({ text: surname, limit: 40 });
    const exact = result.hits.filter((h) => h.matchedBy === 'surname' && !h.typo);
    expect(exact.length).toBeGreaterThan(5);
    const names = exact.map((h) => h.owner.split(' ').slice(1).join(' '));
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(exact.every((h) => h.district)).toBe(true);
    expect(exact.some((h) => h.phone)).toBe(true);
  });
});

describe('numbers as people say them', () => {
  it('a city number by its seven digits (265-36-95), a mobile by its last seven', async () => {
    const city = one(
      "EXISTS (SELECT 1 FROM phones x WHERE x.account_id = a.id AND x.number LIKE '7727%' AND (SELECT count(*) FROM phones y WHERE y.number = x.number) = 1)",
    );
    const number = demo.core.db
      .prepare<[number], string>("SELECT number FROM phones WHERE account_id = ? AND number LIKE '7727%' LIMIT 1")
      .pluck()
      .get(city.id)!;
    const seven = number.slice(4);
    expect((await first(`${seven.slice(0, 3)}-${seven.slice(3, 5)}-${seven.slice(5)}`))?.accountId).toBe(city.id);
    const mobile = one(
      "EXISTS (SELECT 1 FROM phones x WHERE x.account_id = a.id AND x.number LIKE '77%' AND x.number NOT LIKE '7727%' AND (SELECT count(*) FROM phones y WHERE substr(y.number, -7) = substr(x.number, -7)) = 1)",
    );
    const last7 = demo.core.db
      .prepare<[number], string>(
        "SELECT substr(number, -7) FROM phones WHERE account_id = ? AND number NOT LIKE '7727%' LIMIT 1",
      )
      .pluck()
      .get(mobile.id)!;
    const hits = (await search({ text: last7, limit: 10 })).hits;
    expect(hits.some((h) => h.accountId === mobile.id && h.matchedBy === 'phone')).toBe(true);
  });

  it('account numbers with their words, a leading zero, full-width digits; IIN and contracts with theirs', async () => {
    const target = one("a.kind = 'individual'");
    for (const query of [
      `№${target.number}`,
      `л/с ${target.number}`,
      `0${target.number}`,
      target.number.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
    ]) {
      expect((await first(query))?.accountId, query).toBe(target.id);
    }
    const iin = demo.core.db
      .prepare<[number], string>('SELECT o.iin_bin FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE a.id = ?')
      .pluck()
      .get(target.id)!;
    expect((await search({ text: `ИИН ${iin}`, limit: 5 })).hits.map((h) => h.accountId)).toContain(target.id);
    const legal = one('a.contract_number IS NOT NULL');
    const contract = demo.core.db
      .prepare<[number], string>('SELECT contract_number FROM accounts WHERE id = ?')
      .pluck()
      .get(legal.id)!;
    expect((await first(`договор ${contract}`))?.accountId).toBe(legal.id);
  });
});

describe('the structured form', () => {
  it('a surname that is not the owner’s at the address is said, with the owner’s name, instead of opening', async () => {
    const target = one(`${alone} AND o.surname IS NOT NULL AND o.surname NOT LIKE 'Иван%'`);
    const streetId = demo.core.db
      .prepare<[number], number>(
        'SELECT b.street_id FROM accounts a JOIN premises p ON p.id = a.premise_id JOIN buildings b ON b.id = p.building_id WHERE a.id = ?',
      )
      .pluck()
      .get(target.id)!;
    const wrong = await search({
      address: { streetId, house: target.house, apartment: target.apartment!, surname: 'Иванова' },
      limit: 5,
    });
    expect(wrong.notice).toEqual({
      kind: 'surnameMismatch',
      owner: expect.stringMatching(new RegExp(`^${target.surname} `)),
    });
    const right = await search({
      address: { streetId, house: target.house, apartment: target.apartment!, surname: target.surname! },
      limit: 5,
    });
    expect(right.notice).toBeNull();
    expect(right.hits[0]).toMatchObject({ accountId: target.id, matchedBy: 'addressSurname' });
  });
});
