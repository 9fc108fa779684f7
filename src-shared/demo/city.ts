// The deterministic demo city: a fixed seed and "today" always give the same rows, row for row.
// Almaty-like: eight districts, Russian and Kazakh street names, apartment blocks and private houses,
// individuals and ~3 % legal entities, meters with 24 months of readings, two services billed by
// meter or by norm with tariffs that change on dates (mid-month too), payments of regular payers,
// debtors and prepayers. Balances always hold: closing = opening + charges + recalculations − payments.
// Longer than a module should be, on purpose: generateDemoCity is one pass over one seeded random
// stream, and the order of its draws is the city (a digest test pins it); stages sharing that state
// would only hide the order. Column names and row shapes are tables.ts's.
import { iinCheckDigit } from '../domain/iin';
import { chargeTiyn } from '../domain/money';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInPeriod,
  firstDay,
  lastDay,
  periodOf,
  type IsoDate,
  type Period,
} from '../domain/period';
import { apartmentKey, houseKey, ownerNameKey, foldKey } from '../lookup/normalize';
import * as N from './names';
import { Rng } from './prng';
import { demoValues, type DemoRow, type DemoSink, type DemoTable } from './tables';

export interface DemoCityOptions {
  accounts: number;
  /** Complete months of history before today's period (0 = accounts, meters and balances only). */
  months: number;
  seed: number;
  /** Today's date in Almaty; the current period is not yet charged. */
  today: IsoDate;
  progressEvery?: number;
}

type Service = 'water' | 'sewer';
type CustomerKind = 'individual' | 'legal';
type PayerKind = 'regular' | 'irregular' | 'prepayer' | 'nonpayer';

interface TariffRow {
  id: number;
  service: Service;
  customerKind: CustomerKind;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  price: number;
}

interface MeterState {
  id: number;
  value: number; // litres, current register value
  monthly: number; // litres per month, this meter's typical consumption
  resolution: number; // litres per last digit
  rollover: number; // litres at which the register wraps
  replaceAt: number; // history month index when it is replaced, or -1
  replaceOn: IsoDate;
  replacement: number; // the new meter's id when replaced
}

const VERIFICATION_YEARS = 4;
const SOURCES = [
  ['web', 45],
  ['controller', 25],
  ['operator', 22],
  ['import', 8],
] as const;

/** Tariff schedule relative to today: a change on the 1st thirteen months ago and one mid-month two months ago. */
export function demoTariffs(today: IsoDate): TariffRow[] {
  const current = periodOf(today);
  const dates = [
    firstDay(addMonths(current, -48)),
    firstDay(addMonths(current, -13)),
    addDays(firstDay(addMonths(current, -2)), 15),
  ];
  const prices: Record<`${Service}/${CustomerKind}`, number[]> = {
    'water/individual': [8_890, 9_780, 10_960],
    'sewer/individual': [5_120, 5_630, 6_310],
    'water/legal': [27_450, 30_200, 33_820],
    'sewer/legal': [17_880, 19_670, 22_030],
  };
  const rows: TariffRow[] = [];
  for (const key of Object.keys(prices) as (keyof typeof prices)[]) {
    const [service, customerKind] = key.split('/') as [Service, CustomerKind];
    prices[key].forEach((price, i) => {
      rows.push({
        id: rows.length + 1,
        service,
        customerKind,
        validFrom: dates[i]!,
        validTo: dates[i + 1] ?? null,
        price,
      });
    });
  }
  return rows;
}

export const DEMO_NORM_LITRES = 4_200;

/** The parts of a period each tariff covers: [tariff, days]. */
function tariffParts(tariffs: TariffRow[], period: Period): [TariffRow, number][] {
  const from = firstDay(period);
  const to = addDays(lastDay(period), 1);
  const parts: [TariffRow, number][] = [];
  for (const t of tariffs) {
    const start = t.validFrom > from ? t.validFrom : from;
    const end = t.validTo !== null && t.validTo < to ? t.validTo : to;
    if (start < end) parts.push([t, daysBetween(start, end)]);
  }
  return parts;
}

/** The share of legal entities registered for VAT (most businesses billed for water are). */
export const VAT_PAYER_SHARE = 0.6;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function generateDemoCity(options: DemoCityOptions, sink: DemoSink): void {
  const { accounts: total, months, today } = options;
  const progressEvery = options.progressEvery ?? 2_000;
  const rng = new Rng(options.seed);
  // Which legal entities are VAT payers: a stream of its own, so the flag does not shift the city's draws.
  const vatRng = new Rng((options.seed ^ 0x0da7_0001) >>> 0);
  const current = periodOf(today);
  const history: Period[] = [];
  for (let i = months; i >= 1; i--) history.push(addMonths(current, -i));
  const todayDay = Number(today.slice(8, 10));
  const ids: Record<string, number> = {};
  const next = (table: DemoTable) => (ids[table] = (ids[table] ?? 0) + 1);
  const emit = <T extends DemoTable>(table: T, row: DemoRow<T>) => sink.row(table, demoValues(table, row));

  // Reference data.
  N.DISTRICTS.forEach((name, i) => emit('districts', { id: i + 1, name }));
  const tariffs = demoTariffs(today);
  for (const t of tariffs)
    emit('tariffs', {
      id: t.id,
      service: t.service,
      customer_kind: t.customerKind,
      valid_from: t.validFrom,
      valid_to: t.validTo,
      price_tiyn_per_m3: t.price,
    });
  const normFrom = tariffs[0]!.validFrom;
  emit('norms', { id: 1, service: 'water', valid_from: normFrom, litres_per_resident_month: DEMO_NORM_LITRES });
  emit('norms', { id: 2, service: 'sewer', valid_from: normFrom, litres_per_resident_month: DEMO_NORM_LITRES });
  const tariffsFor = {
    individual: tariffs.filter((t) => t.customerKind === 'individual'),
    legal: tariffs.filter((t) => t.customerKind === 'legal'),
  };
  const partsCache = new Map<string, [TariffRow, number][]>();
  const partsOf = (kind: CustomerKind, service: Service, period: Period) => {
    const key = `${kind}/${service}/${period}`;
    let parts = partsCache.get(key);
    if (!parts)
      partsCache.set(
        key,
        (parts = tariffParts(
          tariffsFor[kind].filter((t) => t.service === service),
          period,
        )),
      );
    return parts;
  };
  const operators = [
    ['admin', 'Администратор системы', 'admin'],
    ['kassa1', 'Сулейменова Айгүл Маратовна', 'counter'],
    ['kassa2', 'Фёдоров Пётр Андреевич', 'counter'],
    ['call1', 'Петрова Анна Сергеевна', 'callcenter'],
    ['call2', 'Жүсіпова Әсел Серікқызы', 'callcenter'],
    ['senior', 'Ахметов Ерлан Болатович', 'supervisor'],
  ] as const;
  operators.forEach(([login, name, role], i) =>
    emit('operators', { id: i + 1, login, full_name: name, role, active: 1 }),
  );

  // Streets: every (kind, name) once, microdistricts as numbered 'мкр.'; as many as the city needs.
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

  for (let i = 0; i < total; i++) {
    const accountId = next('accounts');
    const number = String(100_000 + i * 7 + rng.int(0, 6));
    const legal = rng.chance(0.03);
    const kind: CustomerKind = legal ? 'legal' : 'individual';

    // Where.
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

    // Who.
    let ownerId: number;
    let email: string | null = null;
    let contract: string | null = null;
    let kazakh = false;
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
        kazakh = rng.chance(0.55);
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

    // Phones: mostly one mobile, some a second or a home line; a few numbers shared by relatives.
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

    const residents = legal
      ? 0
      : isPrivate
        ? rng.int(2, 7)
        : rng.weighted([
            [1, 22],
            [2, 30],
            [3, 25],
            [4, 15],
            [5, 6],
            [6, 2],
          ] as const);
    const historyStart = history[0] ?? current;
    const openedOn = addDays(firstDay(historyStart), -rng.int(30, 365 * 15));
    const closed = rng.chance(0.004);

    // Meters.
    const meterCount = closed
      ? 0
      : legal
        ? rng.int(1, 2)
        : isPrivate
          ? rng.weighted([
              [0, 20],
              [1, 70],
              [2, 10],
            ] as const)
          : rng.weighted([
              [0, 12],
              [1, 25],
              [2, 50],
              [3, 13],
            ] as const);
    const meters: MeterState[] = [];
    const monthlyTotal = legal ? rng.int(15, 180) * 1000 : residents * rng.int(2_600, 5_200);
    for (let m = 0; m < meterCount; m++) {
      const bigFormat = legal && rng.chance(0.3);
      const intDigits = bigFormat ? 6 : 5;
      const fracDigits = bigFormat ? 3 : 2;
      const resolution = 10 ** (3 - fracDigits);
      const rollover = 10 ** intDigits * 1000;
      const monthly = Math.max(resolution, Math.round((monthlyTotal / meterCount) * (0.6 + rng.float() * 0.8)));
      const latestInstall = addDays(firstDay(historyStart), -1);
      const installedOn = addDays(openedOn, rng.int(0, 365 * 8));
      const installed = installedOn < latestInstall ? installedOn : latestInstall;
      // The register value at the start of history; a few start just short of the wrap to roll over in it.
      const months0 = Math.max(1, Math.round(daysBetween(installed, firstDay(historyStart)) / 30));
      let value = Math.min(rollover - resolution, monthly * months0);
      if (months > 2 && rng.chance(0.006))
        value = rollover - monthly * rng.int(1, months - 1) - rng.int(1, 9) * resolution;
      value -= value % resolution;
      const overdue = rng.chance(0.06);
      const verifiedOn = overdue
        ? addDays(today, -(VERIFICATION_YEARS * 365 + rng.int(1, 400)))
        : addDays(today, -rng.int(10, VERIFICATION_YEARS * 365 - 40));
      const verified = verifiedOn < installed ? installed : verifiedOn;
      const place = isPrivate && m === 0 && rng.chance(0.5) ? 'yard' : N.METER_PLACES[m % 3]!;
      const id = next('meters');
      // About 1 % are replaced during the history: removed on a reading day, a new meter from zero.
      const replaceAt = months > 3 && rng.chance(0.01) ? rng.int(1, months - 2) : -1;
      const replaceOn = replaceAt >= 0 ? `${history[replaceAt]}-${pad(rng.int(10, 25), 2)}` : null;
      meters.push({ id, value, monthly, resolution, rollover, replaceAt, replaceOn: replaceOn ?? '', replacement: 0 });
      const serial = String(rng.int(10_000_000, 99_999_999));
      emit('meters', {
        id,
        account_id: accountId,
        serial,
        place,
        installed_on: installed,
        verified_on: verified,
        next_verification_on: addDays(verified, VERIFICATION_YEARS * 365),
        int_digits: intDigits,
        frac_digits: fracDigits,
        removed_on: replaceOn,
      });
      if (replaceOn) {
        const replacement = next('meters');
        meters[m]!.replacement = replacement;
        emit('meters', {
          id: replacement,
          account_id: accountId,
          serial: String(rng.int(10_000_000, 99_999_999)),
          place,
          installed_on: replaceOn,
          verified_on: replaceOn,
          next_verification_on: addDays(replaceOn, VERIFICATION_YEARS * 365),
          int_digits: 5,
          frac_digits: 2,
          removed_on: null,
        });
      }
    }

    // Money over the history, period by period.
    const payer: PayerKind = rng.weighted([
      ['regular', 78],
      ['irregular', 14],
      ['prepayer', 5],
      ['nonpayer', 3],
    ] as const);
    let balance = closed
      ? 0
      : payer === 'regular'
        ? 0
        : payer === 'irregular'
          ? rng.int(0, 2_000_000)
          : payer === 'prepayer'
            ? -rng.int(0, 500_000)
            : rng.int(1_000_000, 20_000_000);
    let lastPaymentOn: string | null = null;
    let lastPaymentTiyn: number | null = null;
    const pay = (period: Period, day: number, amount: number) => {
      const paidOn = `${period}-${pad(day, 2)}`;
      emit('payments', {
        id: next('payments'),
        account_id: accountId,
        paid_on: paidOn,
        period,
        amount_tiyn: amount,
        channel: rng.weighted(N.PAYMENT_CHANNELS),
      });
      lastPaymentOn = paidOn;
      lastPaymentTiyn = amount;
    };
    const paymentFor = (due: number, typicalBill: number): number => {
      switch (payer) {
        case 'regular':
          return due > 0 ? due : 0;
        case 'irregular':
          return due > 0 && rng.chance(0.55) ? Math.round(due * (0.5 + rng.float() * 0.5)) : 0;
        case 'prepayer':
          return balance > -typicalBill ? Math.ceil((Math.max(0, due) + typicalBill * 4) / 100_000) * 100_000 : 0;
        case 'nonpayer':
          return due > 0 && rng.chance(0.1) ? Math.round(due * rng.float() * 0.5) : 0;
      }
    };
    let typicalBill = 0;

    if (!closed) {
      history.forEach((period, h) => {
        const opening = balance;
        let charged = 0;
        const days = daysInPeriod(period);
        // Payment first (the bill of the previous month is paid during this one).
        const paid = paymentFor(opening, typicalBill);
        if (paid > 0) {
          pay(period, rng.int(3, Math.min(27, days)), paid);
          balance -= paid;
        }
        // Volume: per meter from its readings; no meter → norm × residents.
        let volume = 0;
        for (let m = 0; m < meters.length; m++) {
          const meter = meters[m]!;
          let used = Math.round(meter.monthly * (0.75 + rng.float() * 0.5));
          if (rng.chance(0.01)) used = 0;
          else if (rng.chance(0.01)) used *= 3;
          used -= used % meter.resolution;
          volume += used;
          const readOn = `${period}-${pad(rng.int(15, days), 2)}`;
          const source = rng.weighted(SOURCES);
          if (meter.replaceAt === h) {
            // The old meter's last reading on the replacement day, then the new one from zero.
            const removedOn = meter.replaceOn;
            let before = Math.floor(used / 2);
            before -= before % meter.resolution;
            let after = used - before;
            after -= after % 10;
            volume -= used - before - after;
            emit('readings', {
              id: next('readings'),
              meter_id: meter.id,
              period,
              value_litres: (meter.value + before) % meter.rollover,
              read_on: removedOn,
              source: 'operator',
              kind: 'normal',
            });
            meter.id = meter.replacement;
            meter.value = after;
            meter.rollover = 100_000_000;
            meter.resolution = 10;
            meter.monthly -= meter.monthly % 10;
            emit('readings', {
              id: next('readings'),
              meter_id: meter.id,
              period,
              value_litres: after,
              read_on: removedOn,
              source: 'operator',
              kind: 'replacement',
            });
            continue;
          }
          const raw = meter.value + used;
          const wrapped = raw >= meter.rollover;
          meter.value = raw % meter.rollover;
          emit('readings', {
            id: next('readings'),
            meter_id: meter.id,
            period,
            value_litres: meter.value,
            read_on: readOn,
            source,
            kind: wrapped ? 'rollover' : 'normal',
          });
        }
        const basis = meters.length > 0 ? 'meter' : 'norm';
        if (basis === 'norm') volume = residents * DEMO_NORM_LITRES;
        for (const service of ['water', 'sewer'] as const) {
          const parts = partsOf(kind, service, period);
          let rest = volume;
          parts.forEach(([tariff, partDays], k) => {
            const part = k === parts.length - 1 ? rest : Math.round((volume * partDays) / days);
            rest -= part;
            const amount = chargeTiyn(part, tariff.price);
            charged += amount;
            emit('charges', {
              id: next('charges'),
              account_id: accountId,
              period,
              service,
              basis,
              tariff_id: tariff.id,
              days: partDays,
              volume_litres: part,
              price_tiyn_per_m3: tariff.price,
              amount_tiyn: amount,
              charged_on: lastDay(period),
            });
          });
        }
        if (charged > 0 && rng.chance(0.015)) {
          const credit = rng.chance(0.7);
          const amount = Math.max(1, Math.round(charged * (0.1 + rng.float() * 0.4)));
          const signed = credit ? -amount : amount;
          emit('recalculations', {
            id: next('recalculations'),
            account_id: accountId,
            period,
            service: rng.pick(['water', 'sewer'] as const),
            amount_tiyn: signed,
            reason: rng.pick(N.RECALCULATION_REASONS),
            posted_on: `${period}-${pad(rng.int(10, days), 2)}`,
          });
          charged += signed;
        }
        balance += charged;
        typicalBill = typicalBill === 0 ? charged : Math.round((typicalBill * 3 + charged) / 4);
        emit('balances', { account_id: accountId, period, opening_tiyn: opening, closing_tiyn: balance });
      });

      // The current period: readings already given by some, payments made so far; no charges yet.
      if (todayDay >= 10) {
        for (const meter of meters) {
          if (!rng.chance(0.2)) continue;
          let used = Math.round(meter.monthly * (0.75 + rng.float() * 0.5));
          used -= used % meter.resolution;
          const raw = meter.value + used;
          meter.value = raw % meter.rollover;
          emit('readings', {
            id: next('readings'),
            meter_id: meter.id,
            period: current,
            value_litres: meter.value,
            read_on: `${current}-${pad(rng.int(1, Math.min(todayDay - 1, 28)), 2)}`,
            source: rng.pick(['web', 'controller'] as const),
            kind: raw >= meter.rollover ? 'rollover' : 'normal',
          });
        }
      }
      if (months > 0 && todayDay > 3) {
        const day = rng.int(3, 27);
        const paid = day < todayDay ? paymentFor(balance, typicalBill) : 0;
        if (paid > 0) {
          pay(current, day, paid);
          balance -= paid;
        }
      }
      if (months === 0 && payer !== 'nonpayer' && rng.chance(0.8)) {
        const previous = addMonths(current, -1);
        const amount = rng.int(100_000, 1_500_000);
        const paidOn = `${previous}-${pad(rng.int(3, 27), 2)}`;
        lastPaymentOn = paidOn; // payments rows belong to history; with none, only the last payment is known
        lastPaymentTiyn = amount;
      }
    }

    emit('accounts', {
      id: accountId,
      number,
      kind,
      owner_id: ownerId,
      premise_id: premiseId,
      district_id: district,
      contract_number: contract,
      residents,
      opened_on: openedOn,
      closed_on: closed ? addDays(firstDay(historyStart), -rng.int(1, 25)) : null,
      balance_tiyn: balance,
      last_payment_on: lastPaymentOn,
      last_payment_tiyn: lastPaymentTiyn,
    });

    // Web account and subscription to the monthly breakdown.
    if (email && !closed && rng.chance(0.4)) {
      const status = rng.weighted([
        ['active', 85],
        ['pending', 10],
        ['blocked', 5],
      ] as const);
      const registeredAt = `${addDays(today, -rng.int(5, 1500))}T${pad(rng.int(3, 15), 2)}:${pad(rng.int(0, 59), 2)}:00.000Z`;
      const signedIn =
        status === 'active'
          ? `${addDays(today, -rng.int(0, 60))}T${pad(rng.int(3, 15), 2)}:${pad(rng.int(0, 59), 2)}:00.000Z`
          : null;
      emit('web_accounts', {
        account_id: accountId,
        status,
        login: contract ?? number,
        email,
        registered_at: registeredAt,
        last_sign_in_at: signedIn,
      });
      if (rng.chance(0.35))
        emit('subscriptions', {
          account_id: accountId,
          email,
          subscribed: rng.chance(0.85) ? 1 : 0,
          updated_at: registeredAt,
        });
    }

    if ((i + 1) % progressEvery === 0 || i + 1 === total) sink.progress(i + 1, total);
  }
  if (total === 0) sink.progress(0, 0);
}
