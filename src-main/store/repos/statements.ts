// The rows behind the charges breakdown and the reconciliation of one account: parties, charges
// (with their tariff's start, to order split lines), recalculations, payments, balances, meters and
// readings. Every statement is prepared once; callers get plain typed rows.
import type { Db } from '../db';
import type {
  AccountPartyRow,
  BalanceRow,
  ChargeLineRow,
  PaymentLineRow,
  RecalculationLineRow,
  StatementMeterRow,
  StatementReadingRow,
} from '../../../src-shared/statements';
import {
  BALANCE_AT_SQL,
  CHARGES_OF_PERIOD_SQL,
  METERS_OF_PERIOD_SQL,
  PARTY_SQL,
  PAYMENTS_OF_PERIOD_SQL,
  READING_BEFORE,
  READING_OF_PERIOD,
  RECALCULATIONS_OF_PERIOD_SQL,
  WATER_NORM_SQL,
} from '../../../src-shared/statements/sql';

// The row shapes are shared: the central service reads the same ones from PostgreSQL.
export type {
  AccountPartyRow,
  BalanceRow,
  ChargeLineRow,
  PaymentLineRow,
  RecalculationLineRow,
  StatementMeterRow,
  StatementReadingRow,
};

export function createStatementsRepo(db: Db) {
  // The month's rows: the queries the central service's mailing runs too (src-shared/statements/sql.ts).
  const party = db.prepare<{ account: number }, AccountPartyRow>(PARTY_SQL);
  const chargesOfPeriod = db.prepare<{ account: number; period: string }, ChargeLineRow>(CHARGES_OF_PERIOD_SQL);
  const recalculationsOfPeriod = db.prepare<{ account: number; period: string }, RecalculationLineRow>(
    RECALCULATIONS_OF_PERIOD_SQL,
  );
  const paymentsOfPeriod = db.prepare<{ account: number; period: string }, PaymentLineRow>(PAYMENTS_OF_PERIOD_SQL);
  const balanceAt = db.prepare<{ account: number; period: string }, BalanceRow>(BALANCE_AT_SQL);
  const metersOfPeriod = db.prepare<{ account: number; periodStart: string; periodEnd: string }, StatementMeterRow>(
    METERS_OF_PERIOD_SQL,
  );
  const readingOfPeriod = db.prepare<{ meter: number; period: string }, StatementReadingRow>(READING_OF_PERIOD);
  const readingBefore = db.prepare<{ meter: number; period: string }, StatementReadingRow>(READING_BEFORE);
  const waterNorm = db.prepare<{ day: string }, number>(WATER_NORM_SQL).pluck();
  // The reconciliation's: balances exactly of a period or before it, and movements between days.
  const balance = db.prepare<[number, string], BalanceRow>(
    'SELECT period, opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? AND period = ?',
  );
  const balanceBefore = db.prepare<[number, string], BalanceRow>(
    'SELECT period, opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? AND period < ? ORDER BY period DESC LIMIT 1',
  );
  const firstBalance = db.prepare<[number], BalanceRow>(
    'SELECT period, opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? ORDER BY period LIMIT 1',
  );
  const chargesBetween = db.prepare<[number, string, string], ChargeLineRow>(`
    SELECT c.period, c.service, c.basis, c.days, c.volume_litres, c.price_tiyn_per_m3, c.amount_tiyn, c.charged_on,
           t.valid_from AS tariff_valid_from
      FROM charges c JOIN tariffs t ON t.id = c.tariff_id
     WHERE c.account_id = ? AND c.charged_on >= ? AND c.charged_on <= ?
     ORDER BY c.charged_on, c.service, t.valid_from, c.id`);
  const recalculationsBetween = db.prepare<[number, string, string], RecalculationLineRow>(
    'SELECT period, service, amount_tiyn, reason, posted_on FROM recalculations WHERE account_id = ? AND posted_on >= ? AND posted_on <= ? ORDER BY posted_on, id',
  );
  const paymentsBetween = db.prepare<[number, string, string], PaymentLineRow & { id: number }>(
    'SELECT id, period, paid_on, amount_tiyn, channel FROM payments WHERE account_id = ? AND paid_on >= ? AND paid_on <= ? ORDER BY paid_on, id',
  );
  // Movements dated in [from, to) summed, to carry a balance from a period's start to any day in it.
  const movementBetween = db
    .prepare<{ account: number; from: string; to: string }, number>(
      `
    SELECT COALESCE((SELECT SUM(amount_tiyn) FROM charges WHERE account_id = @account AND charged_on >= @from AND charged_on < @to), 0)
         + COALESCE((SELECT SUM(amount_tiyn) FROM recalculations WHERE account_id = @account AND posted_on >= @from AND posted_on < @to), 0)
         - COALESCE((SELECT SUM(amount_tiyn) FROM payments WHERE account_id = @account AND paid_on >= @from AND paid_on < @to), 0)`,
    )
    .pluck();

  return {
    party: (accountId: number) => party.get({ account: accountId }),
    chargesOfPeriod: (accountId: number, period: string) => chargesOfPeriod.all({ account: accountId, period }),
    recalculationsOfPeriod: (accountId: number, period: string) =>
      recalculationsOfPeriod.all({ account: accountId, period }),
    paymentsOfPeriod: (accountId: number, period: string) => paymentsOfPeriod.all({ account: accountId, period }),
    /** The period's own balance or, without one, the latest before it. */
    balanceAt: (accountId: number, period: string) => balanceAt.get({ account: accountId, period }),
    balance: (accountId: number, period: string) => balance.get(accountId, period),
    balanceBefore: (accountId: number, period: string) => balanceBefore.get(accountId, period),
    firstBalance: (accountId: number) => firstBalance.get(accountId),
    metersOfPeriod: (accountId: number, periodStart: string, periodEnd: string) =>
      metersOfPeriod.all({ account: accountId, periodStart, periodEnd }),
    readingOfPeriod: (meterId: number, period: string) => readingOfPeriod.get({ meter: meterId, period }),
    readingBefore: (meterId: number, period: string) => readingBefore.get({ meter: meterId, period }),
    waterNorm: (onDate: string) => waterNorm.get({ day: onDate }) ?? null,
    chargesBetween: (accountId: number, from: string, to: string) => chargesBetween.all(accountId, from, to),
    recalculationsBetween: (accountId: number, from: string, to: string) =>
      recalculationsBetween.all(accountId, from, to),
    paymentsBetween: (accountId: number, from: string, to: string) => paymentsBetween.all(accountId, from, to),
    /** charges + recalculations − payments dated from `from` (inclusive) to `to` (exclusive) */
    movementBetween: (accountId: number, from: string, to: string) =>
      movementBetween.get({ account: accountId, from, to }) ?? 0,
  };
}
export type StatementsRepo = ReturnType<typeof createStatementsRepo>;
