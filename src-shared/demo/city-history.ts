// An account's money and readings over the history, month by month: the payment of the previous
// month's bill (by the payer's habit: regular, irregular, prepayer, non-payer), the meters' readings
// (rollovers, a replacement), the charges split by tariff parts (norm × residents without a meter),
// now and then a recalculation, and the balance — closing = opening + charges + recalculations −
// payments, by construction. Then the current period: readings given so far and payments made.
import { chargeTiyn } from '../domain/money';
import { addMonths, daysInPeriod, lastDay, type Period } from '../domain/period';
import { pad, type CityContext, type CustomerKind } from './city-context';
import { DEMO_NORM_LITRES, type TariffPartsOf } from './city-reference';
import type { MeterState } from './city-meters';
import * as N from './names';

type PayerKind = 'regular' | 'irregular' | 'prepayer' | 'nonpayer';

const SOURCES = [
  ['web', 45],
  ['controller', 25],
  ['operator', 22],
  ['import', 8],
] as const;

export interface AccountHistory {
  accountId: number;
  kind: CustomerKind;
  closed: boolean;
  residents: number;
  meters: MeterState[];
}

export interface AccountMoney {
  balance: number;
  lastPaymentOn: string | null;
  lastPaymentTiyn: number | null;
}

/** Emits the account's payments, readings, charges, recalculations and balances; returns where it stands today. */
export function emitAccountHistory(ctx: CityContext, partsOf: TariffPartsOf, a: AccountHistory): AccountMoney {
  const { rng, emit, next, current, history, months, todayDay } = ctx;
  const { accountId, kind, closed, residents, meters } = a;
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
  return { balance, lastPaymentOn, lastPaymentTiyn };
}
