// Who the demo city's accounts belong to: individuals with Russian or Kazakh names and valid IINs,
// ~3 % legal entities with BINs and contracts, a few owners with two accounts; and their phones
// (mostly one mobile, some a second or a home line, a few numbers shared by relatives).
import { iinCheckDigit } from '../domain/iin';
import { ownerNameKey } from '../lookup/normalize';
import { pad, type CityContext } from './city-context';
import * as N from './names';

/** The share of legal entities registered for VAT (most businesses billed for water are). */
export const VAT_PAYER_SHARE = 0.6;

export interface Owner {
  ownerId: number;
  email: string | null;
  contract: string | null;
}

export function createPeople({ rng, vatRng, emit, next }: CityContext) {
  const contractSerials = new Map<number, number>();
  const ownerIds: number[] = [];
  const phoneNumbers: string[] = [];

  const iin = (birthYear: number, male: boolean): string => {
    for (;;) {
      const yy = pad(birthYear % 100, 2);
      const mm = pad(rng.int(1, 12), 2);
      const dd = pad(rng.int(1, 28), 2);
      const century = birthYear < 2000 ? (male ? 3 : 4) : male ? 5 : 6;
      const first11 = `${yy}${mm}${dd}${century}${pad(rng.int(0, 9999), 4)}`;
      const check = iinCheckDigit(first11);
      if (check !== null) return `${first11}${check}`;
    }
  };
  const bin = (year: number): string => {
    for (;;) {
      const first11 = `${pad(year % 100, 2)}${pad(rng.int(1, 12), 2)}4${rng.pick(['0', '0', '1'])}${pad(rng.int(0, 99999), 5)}`;
      const check = iinCheckDigit(first11);
      if (check !== null) return `${first11}${check}`;
    }
  };

  /** The owner of the next account: now and then an earlier one (one owner, two accounts), else a new one, emitted. */
  const owner = (legal: boolean): Owner => {
    let ownerId: number;
    let email: string | null = null;
    let contract: string | null = null;
    if (!legal && ownerIds.length > 50 && rng.chance(0.01)) {
      ownerId = ownerIds[rng.int(ownerIds.length - 50, ownerIds.length - 1)]!; // one owner, two accounts
    } else {
      ownerId = next('owners');
      ownerIds.push(ownerId);
      if (legal) {
        const year = rng.int(2005, 2025);
        const serial = (contractSerials.get(year) ?? rng.int(1, 300)) + rng.int(1, 3);
        contractSerials.set(year, serial);
        contract = `Д-${year}/${pad(serial, 4)}`;
        const form = rng.pick(N.ORGANISATION_FORMS);
        const name = rng.pick(N.ORGANISATION_NAMES);
        const organisation = `${form} «${name}»`;
        email = rng.chance(0.9) ? `info${rng.int(1, 999)}@${N.transliterate(name) || 'org'}.kz` : null;
        emit('owners', {
          id: ownerId,
          kind: 'legal',
          surname: null,
          first_name: null,
          patronymic: null,
          organisation,
          iin_bin: bin(rng.int(2000, 2024)),
          email,
          language: 'ru',
          name_key: ownerNameKey(null, organisation),
          vat_payer: vatRng.chance(VAT_PAYER_SHARE) ? 1 : 0,
        });
      } else {
        const kazakh = rng.chance(0.55);
        const male = rng.chance(0.5);
        const base = rng.pick<string>(kazakh ? N.KAZAKH_SURNAMES : N.RUSSIAN_SURNAMES);
        const surname = male ? base : N.femininise(base);
        const first = rng.pick<string>(
          kazakh ? (male ? N.KAZAKH_MALE : N.KAZAKH_FEMALE) : male ? N.RUSSIAN_MALE : N.RUSSIAN_FEMALE,
        );
        const patronymic = rng.chance(0.93)
          ? rng.pick<readonly [string, string]>(kazakh ? N.KAZAKH_PATRONYMICS : N.RUSSIAN_PATRONYMICS)[male ? 0 : 1]
          : null;
        if (rng.chance(0.45)) {
          email = `${N.transliterate(surname)}.${N.transliterate(first).slice(0, 1)}${rng.int(1, 9999)}@${rng.pick(N.EMAIL_DOMAINS)}`;
        }
        const language = kazakh && rng.chance(0.45) ? 'kk' : 'ru';
        emit('owners', {
          id: ownerId,
          kind: 'individual',
          surname,
          first_name: first,
          patronymic,
          organisation: null,
          iin_bin: iin(rng.int(1940, 2005), male),
          email,
          language,
          name_key: ownerNameKey(surname, null),
          vat_payer: 0,
        });
      }
    }
    return { ownerId, email, contract };
  };

  /** Emits an account's phones. */
  const phones = (accountId: number, legal: boolean): void => {
    const phoneCount = rng.weighted([
      [1, 70],
      [2, 22],
      [0, 8],
    ] as const);
    for (let p = 0; p < phoneCount; p++) {
      let phone: string;
      let phoneKind = 'mobile';
      if (phoneNumbers.length > 100 && rng.chance(0.01))
        phone = phoneNumbers[rng.int(phoneNumbers.length - 100, phoneNumbers.length - 1)]!;
      else if (p === 1 && rng.chance(0.4)) {
        phone = `7727${pad(rng.int(2_000_000, 3_999_999), 7)}`;
        phoneKind = legal ? 'work' : 'home';
      } else phone = `7${rng.pick(N.MOBILE_PREFIXES)}${pad(rng.int(0, 9_999_999), 7)}`;
      phoneNumbers.push(phone);
      emit('phones', { id: next('phones'), account_id: accountId, number: phone, kind: phoneKind });
    }
  };

  return { owner, phones };
}
