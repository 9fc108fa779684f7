// The deterministic demo city: a fixed seed and "today" always give the same rows, row for row.
// Almaty-like: eight districts, Russian and Kazakh street names, apartment blocks and private houses,
// individuals and ~3 % legal entities, meters with 24 months of readings, two services billed by
// meter or by norm with tariffs that change on dates (mid-month too), payments of regular payers,
// debtors and prepayers. Balances always hold: closing = opening + charges + recalculations − payments.
// One pass over one seeded random stream, and the order of its draws is the city (a digest test pins
// it): this file is that order — reference data (city-reference.ts), streets (city-places.ts), then
// account by account its place, owner and phones (city-people.ts), meters (city-meters.ts), months of
// money and readings (city-history.ts), the account and its web account. The stages share the stream
// and the sink through city-context.ts. Column names and row shapes are tables.ts's.
import { addDays, addMonths, firstDay, periodOf, type IsoDate, type Period } from '../domain/period';
import { pad, type CityContext, type CustomerKind } from './city-context';
import { emitAccountHistory } from './city-history';
import { emitMeters } from './city-meters';
import { createPeople } from './city-people';
import { createPlaces } from './city-places';
import { emitReference } from './city-reference';
import { Rng } from './prng';
import { demoValues, type DemoRow, type DemoSink, type DemoTable } from './tables';

export { DEMO_NORM_LITRES, demoTariffs } from './city-reference';
export { VAT_PAYER_SHARE } from './city-people';

export interface DemoCityOptions {
  accounts: number;
  /** Complete months of history before today's period (0 = accounts, meters and balances only). */
  months: number;
  seed: number;
  /** Today's date in Almaty; the current period is not yet charged. */
  today: IsoDate;
  progressEvery?: number;
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
  const ctx: CityContext = { rng, vatRng, emit, next, today, current, history, months, todayDay };

  const partsOf = emitReference(ctx);
  const placeFor = createPlaces(ctx, total);
  const people = createPeople(ctx);

  for (let i = 0; i < total; i++) {
    const accountId = next('accounts');
    const number = String(100_000 + i * 7 + rng.int(0, 6));
    const legal = rng.chance(0.03);
    const kind: CustomerKind = legal ? 'legal' : 'individual';
    const { premiseId, district, isPrivate } = placeFor(legal);
    const { ownerId, email, contract } = people.owner(legal);
    people.phones(accountId, legal);

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
    const meters = emitMeters(ctx, { accountId, legal, isPrivate, closed, residents, openedOn, historyStart });
    const money = emitAccountHistory(ctx, partsOf, { accountId, kind, closed, residents, meters });

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
      balance_tiyn: money.balance,
      last_payment_on: money.lastPaymentOn,
      last_payment_tiyn: money.lastPaymentTiyn,
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
