// An account's meters: how many its premise has, each meter's register (5 or 6 integer digits, some
// about to roll over), its verification (~6 % overdue), and the ~1 % replaced during the history —
// removed on a reading day, a new meter from zero.
import { addDays, daysBetween, firstDay, type IsoDate, type Period } from '../domain/period';
import { pad, type CityContext } from './city-context';
import * as N from './names';

export const VERIFICATION_YEARS = 4;

export interface MeterState {
  id: number;
  value: number; // litres, current register value
  monthly: number; // litres per month, this meter's typical consumption
  resolution: number; // litres per last digit
  rollover: number; // litres at which the register wraps
  replaceAt: number; // history month index when it is replaced, or -1
  replaceOn: IsoDate;
  replacement: number; // the new meter's id when replaced
}

export interface MeteredAccount {
  accountId: number;
  legal: boolean;
  isPrivate: boolean;
  closed: boolean;
  residents: number;
  openedOn: IsoDate;
  historyStart: Period;
}

/** Emits the account's meters (and their replacements); returns their state at the start of history. */
export function emitMeters(ctx: CityContext, a: MeteredAccount): MeterState[] {
  const { rng, emit, next, today, history, months } = ctx;
  const { accountId, legal, isPrivate, historyStart } = a;
  const meterCount = a.closed
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
  const monthlyTotal = legal ? rng.int(15, 180) * 1000 : a.residents * rng.int(2_600, 5_200);
  for (let m = 0; m < meterCount; m++) {
    const bigFormat = legal && rng.chance(0.3);
    const intDigits = bigFormat ? 6 : 5;
    const fracDigits = bigFormat ? 3 : 2;
    const resolution = 10 ** (3 - fracDigits);
    const rollover = 10 ** intDigits * 1000;
    const monthly = Math.max(resolution, Math.round((monthlyTotal / meterCount) * (0.6 + rng.float() * 0.8)));
    const latestInstall = addDays(firstDay(historyStart), -1);
    const installedOn = addDays(a.openedOn, rng.int(0, 365 * 8));
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
  return meters;
}
