// Where the demo city's accounts are: streets (every (kind, name) once, microdistricts as numbered
// 'мкр.'; as many as the city needs) with their former names, and the buildings and premises an
// account is placed in — apartment blocks filled flat by flat, private houses, legal entities' premises.
import { apartmentKey, houseKey, foldKey } from '../lookup/normalize';
import type { CityContext } from './city-context';
import * as N from './names';

export interface Place {
  premiseId: number;
  district: number;
  isPrivate: boolean;
}

/** Emits the streets and their aliases; returns where the next account of a kind is placed. */
export function createPlaces(ctx: CityContext, total: number): (legal: boolean) => Place {
  const { rng, emit, next } = ctx;
  const streetCount = Math.max(30, Math.min(2_000, Math.round(total / 250)));
  const streetRng = rng.fork(1);
  const candidates: [string, string][] = [];
  const seen = new Set<string>();
  for (const name of N.STREET_NAMES) {
    for (const [kind] of N.STREET_KINDS) {
      const key = `${kind} ${name}`;
      if (!seen.has(key)) {
        seen.add(key);
        candidates.push([kind, name]);
      }
    }
  }
  for (const name of N.MICRODISTRICTS) for (let k = 1; k <= 12; k++) candidates.push(['мкр.', `${name}-${k}`]);
  // Shuffle deterministically, but keep the first ~40 'ул.' names in front so small cities look familiar.
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = streetRng.int(0, i);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  const streets = candidates.slice(0, Math.min(streetCount, candidates.length)).map(([kind, name], i) => {
    const id = i + 1;
    emit('streets', { id, kind, name, name_key: foldKey(name) });
    return { id, kind, name, district: streetRng.int(1, N.DISTRICTS.length), nextHouse: streetRng.int(1, 5) };
  });
  // Their former names (no random draw: the rest of the city stays as it was).
  for (const street of streets)
    for (const alias of N.STREET_ALIASES[street.name] ?? [])
      emit('street_aliases', {
        id: next('street_aliases'),
        street_id: street.id,
        name: alias,
        name_key: foldKey(alias),
      });

  const houseNumber = (street: (typeof streets)[number]): string => {
    const n = street.nextHouse;
    street.nextHouse += rng.int(1, 3);
    const r = rng.float();
    if (r < 0.08) return `${n}${rng.pick(['А', 'Б', 'В'])}`;
    if (r < 0.13) return `${n}/${rng.int(1, 3)}`;
    if (r < 0.16) return `${n} корп. ${rng.int(1, 3)}`;
    return String(n);
  };

  let block: { id: number; district: number; apartments: number; used: number } | null = null;
  const newBuilding = (isPrivate: boolean) => {
    const street = rng.pick(streets);
    const id = next('buildings');
    const house = houseNumber(street);
    emit('buildings', {
      id,
      street_id: street.id,
      district_id: street.district,
      house,
      is_private: isPrivate ? 1 : 0,
      house_key: houseKey(house),
    });
    return { id, district: street.district };
  };
  const newPremise = (buildingId: number, apartment: string | null, prefix: string | null) => {
    const id = next('premises');
    emit('premises', {
      id,
      building_id: buildingId,
      apartment,
      apartment_prefix: prefix,
      apartment_key: apartmentKey(apartment, prefix),
    });
    return id;
  };

  return (legal) => {
    let premiseId: number;
    let district: number;
    let isPrivate = false;
    if (legal) {
      const b = newBuilding(false);
      district = b.district;
      premiseId = newPremise(b.id, rng.chance(0.5) ? null : `${rng.int(1, 20)}`, null);
    } else if (rng.chance(0.18)) {
      const b = newBuilding(true);
      district = b.district;
      isPrivate = true;
      premiseId = newPremise(b.id, null, null);
    } else {
      if (!block || block.used >= block.apartments) {
        const b = newBuilding(false);
        block = {
          id: b.id,
          district: b.district,
          apartments: rng.pick([20, 36, 45, 60, 72, 90, 108, 144, 180]),
          used: 0,
        };
      }
      block.used += 1;
      district = block.district;
      premiseId = newPremise(block.id, String(block.used), rng.chance(0.03) ? rng.pick(['А', 'Б']) : null);
    }
    return { premiseId, district, isPrivate };
  };
}
