// Account lookup: the one search box and the structured address form, ranked.
//
// Every path is a B-tree probe or a short index range scan with a LIMIT; nothing ranks a large
// match set. Identifiers (account, phone, IIN/BIN, contract) are exact probes. Streets are few (a
// city has thousands, not millions), so they are matched in memory, prefix- and typo-tolerant; then
// houses and apartments come from the (street_id, house_key) index and the building's premises.
// Surnames use the owners(name_key) index: exact probe, then a prefix range in key order (which is
// already "shortest completion first", so short prefixes stay fast); one-letter typos go through a
// small in-memory symmetric-delete dictionary of the distinct name keys. Organisations are found by
// their whole name (legal form and quotes dropped), city phones by seven digits and mobiles by their
// last seven (an expression index), microdistricts by their number ("Самал 10 13"), streets by their
// kind ("ул." before "пр.") and by their former names (street_aliases).
// Here: the candidate generators in rank order and `search`; lookup/address.ts ranks the accounts at an
// address, lookup/memory.ts holds the in-memory street list and typo dictionary, lookup/hits.ts cuts a
// page from the candidates and hydrates it.
import { foldKey, houseKey } from '../../src-shared/lookup/normalize';
import { CITY_CODE, parseQuery, type ParsedQuery } from '../../src-shared/lookup/parse';
import type { AddressQuery, LookupHit, LookupSearchOutput } from '../../src-shared/schemas/lookup';
import type { ServiceContext } from './context';
import { createAddressCandidates, KEY_END } from './lookup/address';
import { createHits, type Candidate } from './lookup/hits';
import { createLookupMemory } from './lookup/memory';

export { ownerDisplayName } from './lookup/hits';

const SCAN_CAP = 5_000;

export function createLookupService(ctx: ServiceContext) {
  const db = ctx.db;
  const memory = createLookupMemory(db);
  const { streetList, typoNameKeys, matchStreets, matchMicrodistrict } = memory;
  const { page } = createHits(db);
  const addressCandidates = createAddressCandidates(db);
  const byNumber = db.prepare<[string], number>('SELECT id FROM accounts WHERE number = ?').pluck();
  const byPhoneSuffix = db
    .prepare<[string], number>('SELECT DISTINCT account_id FROM phones WHERE substr(number, -7) = ? LIMIT 200')
    .pluck();
  const byContract = db.prepare<[string], number>('SELECT id FROM accounts WHERE contract_number = ?').pluck();
  const byPhone = db
    .prepare<[string], number>('SELECT DISTINCT account_id FROM phones WHERE number = ? LIMIT 200')
    .pluck();
  const byIin = db
    .prepare<[string], number>(
      'SELECT a.id FROM owners o JOIN accounts a ON a.owner_id = o.id WHERE o.iin_bin = ? ORDER BY a.number LIMIT 200',
    )
    .pluck();
  // Namesakes by first name and patronymic (index owners_name_first).
  const ownersExact = db.prepare<[string, number], { id: number; first_name: string | null }>(
    'SELECT id, first_name FROM owners WHERE name_key = ? ORDER BY name_key, first_name, patronymic LIMIT ?',
  );
  const ownersRange = db.prepare<[string, string, number], { id: number; first_name: string | null }>(
    'SELECT id, first_name FROM owners WHERE name_key > ? AND name_key < ? ORDER BY name_key, first_name, patronymic LIMIT ?',
  );
  const accountsOfOwner = db
    .prepare<[number], number>('SELECT id FROM accounts WHERE owner_id = ? ORDER BY number')
    .pluck();
  const surnameOnStreets = db
    .prepare<[string, string, string, number], number>(
      `SELECT a.id FROM owners o JOIN accounts a ON a.owner_id = o.id JOIN premises p ON p.id = a.premise_id
       JOIN buildings b ON b.id = p.building_id
      WHERE o.name_key >= ? AND o.name_key < ? AND b.street_id IN (SELECT value FROM json_each(?))
      ORDER BY o.name_key LIMIT ?`,
    )
    .pluck();

  /** Legal owners (and any) whose whole name key is `key`, then those it begins: 'алатаусервис', 'школа45'. */
  function* organisationCandidates(key: string): Generator<Candidate> {
    if (key.length < 3) return;
    for (const owner of ownersExact.iterate(key, 200))
      for (const id of accountsOfOwner.all(owner.id)) yield { accountId: id, matchedBy: 'organisation', typo: false };
    for (const owner of ownersRange.iterate(key, key + KEY_END, 200))
      for (const id of accountsOfOwner.all(owner.id)) yield { accountId: id, matchedBy: 'organisation', typo: false };
  }

  /** Owners whose name key is `key` exactly, then those it is a prefix of; optional first-name filter. */
  function* surnameCandidates(key: string, firstName: string | null, typo: boolean): Generator<Candidate> {
    if (key.length < 2) return;
    const ok = (first: string | null) => !firstName || (first !== null && foldKey(first).startsWith(firstName));
    for (const owner of ownersExact.iterate(key, SCAN_CAP)) {
      if (ok(owner.first_name))
        for (const id of accountsOfOwner.all(owner.id)) yield { accountId: id, matchedBy: 'surname', typo };
    }
    if (typo) return;
    // Key order is shortest completion first (Иванов, Иванова, Ивановский): read lazily, stop at a page.
    for (const owner of ownersRange.iterate(key, key + KEY_END, SCAN_CAP)) {
      if (ok(owner.first_name))
        for (const id of accountsOfOwner.all(owner.id)) yield { accountId: id, matchedBy: 'surname', typo };
    }
  }

  function* textCandidates(parsed: Extract<ParsedQuery, { kind: 'text' }>): Generator<Candidate> {
    const { words, streetKind = null, looseNumbers = null, name = '' } = parsed;
    let { house, apartment } = parsed;
    let street = words.length ? matchStreets(words, streetKind) : null;
    // "Самал 10 13": the microdistrict Самал-10, house 13 (when such a street exists).
    const micro = looseNumbers ? matchMicrodistrict(words, looseNumbers) : null;
    if (micro && (!street || !street.exact || micro.match.consumed.size >= street.consumed.size)) {
      street = micro.match;
      house = micro.house;
      apartment = micro.apartment;
    }
    const rest = street ? words.filter((_, i) => !street.consumed.has(i)) : words;
    // An organisation by its whole name ("Алатау Сервис", "ТОО «Береке»", "Школа №45").
    let organisation = name.length >= 3 && (words.length > 1 || name !== words[0]);
    // An owner of exactly that whole name ("Тау Самал", "Детский сад Балапан") is what was meant,
    // before any street the words also begin ("Самал-1", "Садовая").
    if (organisation && ownersExact.get(name, 1)) {
      yield* organisationCandidates(name);
      organisation = false;
    }
    if (street && !street.typo) {
      if (house !== null || apartment !== null) {
        yield* addressCandidates(street.ids, house, apartment, rest, false);
        if (organisation) yield* organisationCandidates(name);
        return;
      }
      if (rest.length) {
        // "Иванов Абая": owners by surname prefix, kept to the matched streets.
        for (const id of surnameOnStreets.all(rest[0]!, rest[0]! + KEY_END, JSON.stringify(street.ids), 200)) {
          yield { accountId: id, matchedBy: 'addressSurname', typo: false };
        }
      }
    }
    if (organisation) yield* organisationCandidates(name);
    // One or two words without numbers may be a surname (and first name) as well as a street.
    if (house === null && words.length > 0 && words.length <= 3) {
      yield* surnameCandidates(words[0]!, words[1] ?? null, false);
    }
    if (street && !street.typo && house === null && apartment === null && !rest.length) {
      yield* addressCandidates(street.ids, null, null, [], false);
    }
    // Nothing exact or by prefix: one-letter typos of a street, then of a surname.
    if (street?.typo && (house !== null || apartment !== null || rest.length === 0)) {
      yield* addressCandidates(street.ids, house, apartment, rest, true);
    }
    if (words.length > 0 && (house === null || !street)) {
      for (const key of typoNameKeys(words[0]!)) yield* surnameCandidates(key, words[1] ?? null, true);
    }
  }

  function* structuredCandidates(address: AddressQuery): Generator<Candidate> {
    const surname = address.surname ? foldKey(address.surname) : '';
    const house = address.house?.trim() ? houseKey(address.house) : null;
    const apartment = address.apartment?.trim() ? foldKey(`${address.apartment}${address.prefix ?? ''}`) : null;
    if (address.streetId) {
      yield* addressCandidates([address.streetId], house, apartment, surname ? [surname] : [], false);
    } else if (surname) {
      yield* surnameCandidates(surname, null, false);
      for (const key of typoNameKeys(surname)) yield* surnameCandidates(key, null, true);
    }
  }

  function* identifierCandidates(parsed: ParsedQuery): Generator<Candidate> {
    switch (parsed.kind) {
      case 'account': {
        for (const number of [parsed.number, ...(parsed.alternatives ?? [])]) {
          const id = byNumber.get(number);
          if (id !== undefined) yield { accountId: id, matchedBy: 'account', typo: false };
        }
        if (parsed.phone)
          for (const accountId of byPhone.all(parsed.phone)) yield { accountId, matchedBy: 'phone', typo: false };
        if (parsed.phoneSuffix) {
          // Seven digits: a city number (after the code) or the end of a mobile.
          for (const accountId of byPhone.all(`7${CITY_CODE}${parsed.phoneSuffix}`))
            yield { accountId, matchedBy: 'phone', typo: false };
          for (const accountId of byPhoneSuffix.all(parsed.phoneSuffix))
            yield { accountId, matchedBy: 'phone', typo: false };
        }
        return;
      }
      case 'phone':
        for (const accountId of byPhone.all(parsed.number)) yield { accountId, matchedBy: 'phone', typo: false };
        return;
      case 'iin':
        for (const accountId of byIin.all(parsed.value)) yield { accountId, matchedBy: 'iin', typo: false };
        return;
      case 'contract': {
        const id = byContract.get(parsed.value);
        if (id !== undefined) yield { accountId: id, matchedBy: 'contract', typo: false };
        return;
      }
      default:
        return;
    }
  }

  /**
   * The structured form with a surname and a whole address: when the one account there is not that
   * surname's, the operator is told whose it is instead of being taken to it.
   */
  function surnameNotice(address: AddressQuery, hits: LookupHit[]): LookupSearchOutput['notice'] {
    if (!address.surname?.trim() || !address.streetId || !address.house?.trim() || !hits.length) return null;
    if (hits.some((h) => h.matchedBy === 'addressSurname')) return null;
    const first = hits[0]!;
    const [surname, ...rest] = first.owner.split(/\s+/);
    return {
      kind: 'surnameMismatch',
      owner: first.kind === 'legal' ? first.owner : [surname, ...rest.map((p) => `${p[0]}.`)].join(' '),
    };
  }

  function search(input: { text?: string; address?: AddressQuery; limit: number; offset: number }): LookupSearchOutput {
    if (input.address && Object.values(input.address).some((v) => v !== undefined && v !== '')) {
      const street = input.address.streetId ? streetList().find((s) => s.id === input.address!.streetId) : undefined;
      const found = page(structuredCandidates(input.address), input.offset, input.limit);
      return {
        understood: {
          kind: 'address',
          street: street ? `${street.kind} ${street.name}` : undefined,
          house: input.address.house,
          apartment: input.address.apartment,
        },
        ...found,
        query: JSON.stringify(input.address),
        notice: surnameNotice(input.address, found.hits),
      };
    }
    const text = input.text ?? '';
    const parsed = parseQuery(text);
    const answer = (rest: Omit<LookupSearchOutput, 'query' | 'notice'>): LookupSearchOutput => ({
      ...rest,
      query: text,
      notice: null,
    });
    switch (parsed.kind) {
      case 'empty':
        return answer({ understood: { kind: 'empty' }, hits: [], hasMore: false });
      case 'invalid':
        return answer({
          understood: { kind: 'invalid', reason: parsed.reason, value: parsed.value },
          hits: [],
          hasMore: false,
        });
      case 'text': {
        const understood = {
          kind: 'text' as const,
          words: parsed.words,
          house: parsed.house ?? undefined,
          apartment: parsed.apartment ?? undefined,
        };
        if (!parsed.words.length) return answer({ understood, hits: [], hasMore: false });
        return answer({ understood, ...page(textCandidates(parsed), input.offset, input.limit) });
      }
      default: {
        const value =
          parsed.kind === 'account' ? parsed.number : parsed.kind === 'phone' ? parsed.number : parsed.value;
        return answer({
          understood: { kind: parsed.kind, value },
          ...page(identifierCandidates(parsed), input.offset, input.limit),
        });
      }
    }
  }

  return {
    search,
    streets: memory.streets,
    /** Drops the in-memory street list and typo dictionary (after sync or a data change). */
    invalidate: memory.invalidate,
  };
}
