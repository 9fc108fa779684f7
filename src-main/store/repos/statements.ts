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
  const party = db.prepare<[number], AccountPartyRow>(`
    SELECT a.id, a.number, a.kind, a.contract_number, a.residents, a.opened_on, a.closed_on,
           o.kind AS owner_kind, o.surname, o.first_name, o.patronymic, o.organisation, o.iin_bin, o.vat_payer, o.email, o.language,
           s.kind AS street_kind, s.name AS street, b.house, p.apartment, p.apartment_prefix
      FROM accounts a
      JOIN owners o ON o.id = a.owner_id
      JOIN premises p ON p.id = a.premise_id
      JOIN buildings b ON b.id = p.building_id
      JOIN streets s ON s.id = b.street_id
     WHERE a.id = ?`);
  const chargesOfPeriod = db.prepare<[number, string], ChargeLineRow>(`
    SELECT c.period, c.service, c.basis, c.days, c.volume_litres, c.price_tiyn_per_m3, c.amount_tiyn, c.charged_on,
           t.valid_from AS tariff_valid_from
      FROM charges c JOIN tariffs t ON t.id = c.tariff_id
     WHERE c.account_id = ? AND c.period = ?
     ORDER BY c.service, t.valid_from, c.id`);
  const recalculationsOfPeriod = db.prepare<[number, string], RecalculationLineRow>(
    'SELECT period, service, amount_tiyn, reason, posted_on FROM recalculations WHERE account_id = ? AND period = ? ORDER BY posted_on, id',
  );
  const paymentsOfPeriod = db.prepare<[number, string], PaymentLineRow>(
    'SELECT period, paid_on, amount_tiyn, channel FROM payments WHERE account_id = ? AND period = ? ORDER BY paid_on, id',
  );
  const balance = db.prepare<[number, string], BalanceRow>(
    'SELECT period, opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? AND period = ?',
  );
  const balanceBefore = db.prepare<[number, string], BalanceRow>(
    'SELECT period, opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? AND period < ? ORDER BY period DESC LIMIT 1',
  );
  const firstBalance = db.prepare<[number], BalanceRow>(
    'SELECT period, opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? ORDER BY period LIMIT 1',
  );
  // Meters in service at some time during the period (installed before its end, not removed before its start).
  const metersOfPeriod = db.prepare<[number, string, string], StatementMeterRow>(`
    SELECT id, serial, place, int_digits, frac_digits, install_litres FROM meters
     WHERE account_id = ? AND installed_on <= ? AND (removed_on IS NULL OR removed_on >= ?)
     ORDER BY id`);
  const readingOfPeriod = db.prepare<[number, string], StatementReadingRow>(
    "SELECT value_litres, read_on, kind FROM readings WHERE meter_id = ? AND period = ? AND superseded_by IS NULL AND status = 'accepted' ORDER BY read_on DESC, id DESC LIMIT 1",
  );
  const readingBefore = db.prepare<[number, string], StatementReadingRow>(
    "SELECT value_litres, read_on, kind FROM readings WHERE meter_id = ? AND period < ? AND superseded_by IS NULL AND status = 'accepted' ORDER BY period DESC, read_on DESC, id DESC LIMIT 1",
  );
  const waterNorm = db
    .prepare<[string], number>(
      "SELECT litres_per_resident_month FROM norms WHERE service = 'water' AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
    )
    .pluck();
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
    party: (accountId: number) => party.get(accountId),
    chargesOfPeriod: (accountId: number, period: string) => chargesOfPeriod.all(accountId, period),
    recalculationsOfPeriod: (accountId: number, period: string) => recalculationsOfPeriod.all(accountId, period),
    paymentsOfPeriod: (accountId: number, period: string) => paymentsOfPeriod.all(accountId, period),
    balance: (accountId: number, period: string) => balance.get(accountId, period),
    balanceBefore: (accountId: number, period: string) => balanceBefore.get(accountId, period),
    firstBalance: (accountId: number) => firstBalance.get(accountId),
    metersOfPeriod: (accountId: number, periodStart: string, periodEnd: string) =>
      metersOfPeriod.all(accountId, periodEnd, periodStart),
    readingOfPeriod: (meterId: number, period: string) => readingOfPeriod.get(meterId, period),
    readingBefore: (meterId: number, period: string) => readingBefore.get(meterId, period),
    waterNorm: (onDate: string) => waterNorm.get(onDate) ?? null,
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
