// The lookup's address candidates: accounts at a street, house and apartment, ranked (exact house and
// apartment first, then partial ones; the street typed first, houses and apartments in their natural
// order; an owner's surname among the words raises a row). Houses come from the (street_id, house_key)
// index and the building's premises; a street alone is read lazily building by building.
import type { MatchReason } from '../../../src-shared/schemas/lookup';
import type { Db } from '../../store/db';
import type { Candidate } from './hits';

/** The end of a key range: `key >= k AND key < k + KEY_END` is every key beginning with k. */
export const KEY_END = '\u{10FFFF}';

/** '10' < '10а' < '10/1' < '10к2' < '11' < '100'. */
function naturalCompare(a: string, b: string): number {
  const na = parseInt(a, 10);
  const nb = parseInt(b, 10);
  if (na !== nb) return (Number.isNaN(na) ? Infinity : na) - (Number.isNaN(nb) ? Infinity : nb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** House '10' also finds '10а', '10/1', '10к2' (ranked after an exact '10'). */
function houseMatches(key: string, wanted: string): 'exact' | 'partial' | null {
  if (key === wanted) return 'exact';
  if (key.startsWith(wanted) && !/\d/.test(key[wanted.length] ?? '0')) return 'partial';
  return null;
}

function apartmentMatches(key: string | null, wanted: string): 'exact' | 'partial' | null {
  if (key === null) return null;
  if (key === wanted) return 'exact';
  if (key.startsWith(wanted) && /^\D+$/.test(key.slice(wanted.length))) return 'partial';
  return null;
}

export function createAddressCandidates(db: Db) {
  const buildingsOfStreet = db.prepare<[number], { id: number; house_key: string }>(
    'SELECT id, house_key FROM buildings WHERE street_id = ?',
  );
  /** The street's buildings in the natural order of houses, as naturalCompare has it: '10' < '10/1' < '10а' < '11' < 'А'. */
  const buildingsInOrder = db.prepare<[number], { id: number }>(
    "SELECT id FROM buildings WHERE street_id = ? ORDER BY house_key NOT GLOB '[0-9]*', CAST(house_key AS INTEGER), house_key",
  );
  /** The street's buildings whose house key begins with the one typed (index buildings_street_house_key). */
  const buildingsFrom = db.prepare<[number, string, string], { id: number; house_key: string }>(
    'SELECT id, house_key FROM buildings WHERE street_id = ? AND house_key >= ? AND house_key < ?',
  );
  const accountsInBuilding = db.prepare<[number], { id: number; apartment_key: string | null; name_key: string }>(
    `SELECT a.id, p.apartment_key, o.name_key FROM premises p JOIN accounts a ON a.premise_id = p.id
       JOIN owners o ON o.id = a.owner_id WHERE p.building_id = ?`,
  );

  /**
   * Accounts at an address, best first: exact house and apartment, then partial ones; within a rank,
   * building by building in the natural order of houses, and apartments in theirs. A street alone is
   * listed lazily building by building, so a page of a long street costs a page and the list is whole.
   */
  function* addressCandidates(
    streetIds: number[],
    house: string | null,
    apartment: string | null,
    surnameWords: string[],
    typo: boolean,
  ): Generator<Candidate> {
    const byApartment = (x: { apartment: string | null }, y: { apartment: string | null }) =>
      naturalCompare(x.apartment ?? '', y.apartment ?? '');
    if (house === null && apartment === null && !surnameWords.length) {
      // A street alone: its buildings read lazily in natural order, a page costs a page.
      for (const streetId of streetIds) {
        for (const building of buildingsInOrder.iterate(streetId)) {
          const rows = accountsInBuilding.all(building.id).map((r) => ({ id: r.id, apartment: r.apartment_key }));
          rows.sort(byApartment);
          for (const row of rows) yield { accountId: row.id, matchedBy: 'street', typo };
        }
      }
      return;
    }
    const buildings: { id: number; house_key: string; match: 'exact' | 'partial'; order: number }[] = [];
    streetIds.forEach((streetId, order) => {
      for (const b of house === null
        ? buildingsOfStreet.all(streetId)
        : buildingsFrom.all(streetId, house, house + KEY_END)) {
        const match = house === null ? 'exact' : houseMatches(b.house_key, house);
        if (match) buildings.push({ ...b, match, order });
      }
    });
    // The street typed first (its kind), then houses in natural order ('10' < '10а' < '10/1' < '11').
    buildings.sort((a, b) =>
      a.match === b.match
        ? a.order - b.order || naturalCompare(a.house_key, b.house_key)
        : a.match === 'exact'
          ? -1
          : 1,
    );
    const matchedBy: MatchReason = house === null && apartment === null ? 'street' : 'address';
    const rows: { id: number; rank: number; building: number; apartment: string | null; surname: boolean }[] = [];
    buildings.forEach((building, index) => {
      for (const row of accountsInBuilding.all(building.id)) {
        let rank = building.match === 'exact' ? 0 : 4;
        if (apartment !== null) {
          const match = apartmentMatches(row.apartment_key, apartment);
          if (!match) continue;
          if (match === 'partial') rank += 1;
        }
        const surname = surnameWords.length > 0 && surnameWords.some((w) => row.name_key.startsWith(w));
        if (!surname) rank += 2;
        rows.push({ id: row.id, rank, building: index, apartment: row.apartment_key, surname });
      }
    });
    rows.sort((a, b) => a.rank - b.rank || a.building - b.building || byApartment(a, b));
    for (const row of rows) yield { accountId: row.id, matchedBy: row.surname ? 'addressSurname' : matchedBy, typo };
  }

  return addressCandidates;
}
