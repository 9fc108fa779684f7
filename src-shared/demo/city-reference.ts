// The demo city's reference data: districts, tariffs (placed relative to today, so split lines always
// exist), norms and the operators. No random draw here.
import {
  addDays,
  addMonths,
  daysBetween,
  firstDay,
  lastDay,
  periodOf,
  type IsoDate,
  type Period,
} from '../domain/period';
import type { CityContext, CustomerKind, Service } from './city-context';
import * as N from './names';

export interface TariffRow {
  id: number;
  service: Service;
  customerKind: CustomerKind;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  price: number;
}

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

/** The parts of a period each tariff of a customer kind and service covers (looked up once per period). */
export type TariffPartsOf = (kind: CustomerKind, service: Service, period: Period) => [TariffRow, number][];

/** Emits districts, tariffs, norms and operators; returns the tariff parts of a period. */
export function emitReference({ emit, today }: CityContext): TariffPartsOf {
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
  const partsOf: TariffPartsOf = (kind, service, period) => {
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
  return partsOf;
}
