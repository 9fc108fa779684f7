// The queries behind a statement, written once for both stores: the desk's SQLite cache
// (src-main/store/repos/statements.ts) and the central service's PostgreSQL, where the monthly
// mailing reads the same rows (src-server/mailing-rows.ts). Both hold the replication model's tables
// under the same names, so the SQL is the same; what differs is isolated here:
// - parameters are named (`:account`); SQLite (better-sqlite3) binds them by name as written,
//   PostgreSQL gets them numbered (`postgres()` below);
// - the mailing reads a chunk of accounts at once (`forAccounts()`: `= :account` becomes
//   `= ANY(:accounts)` and the account's id leads the row and its order);
// - the desk looks a meter's readings up one meter at a time, PostgreSQL joins them LATERAL — the
//   same two subqueries (`READING_OF_PERIOD`, `READING_BEFORE`) either way.

export const PARTY_SQL = `
  SELECT a.id, a.number, a.kind, a.contract_number, a.residents, a.opened_on, a.closed_on,
         o.kind AS owner_kind, o.surname, o.first_name, o.patronymic, o.organisation, o.iin_bin, o.vat_payer, o.email, o.language,
         s.kind AS street_kind, s.name AS street, b.house, p.apartment, p.apartment_prefix
    FROM accounts a
    JOIN owners o ON o.id = a.owner_id
    JOIN premises p ON p.id = a.premise_id
    JOIN buildings b ON b.id = p.building_id
    JOIN streets s ON s.id = b.street_id
   WHERE a.id = :account`;

export const CHARGES_OF_PERIOD_SQL = `
  SELECT c.period, c.service, c.basis, c.days, c.volume_litres, c.price_tiyn_per_m3, c.amount_tiyn, c.charged_on,
         t.valid_from AS tariff_valid_from
    FROM charges c JOIN tariffs t ON t.id = c.tariff_id
   WHERE c.account_id = :account AND c.period = :period
   ORDER BY c.service, t.valid_from, c.id`;

export const RECALCULATIONS_OF_PERIOD_SQL = `
  SELECT r.period, r.service, r.amount_tiyn, r.reason, r.posted_on FROM recalculations r
   WHERE r.account_id = :account AND r.period = :period ORDER BY r.posted_on, r.id`;

export const PAYMENTS_OF_PERIOD_SQL = `
  SELECT p.period, p.paid_on, p.amount_tiyn, p.channel FROM payments p
   WHERE p.account_id = :account AND p.period = :period ORDER BY p.paid_on, p.id`;

/** The period's own balance or, without one, the latest before it: one row either way. */
export const BALANCE_AT_SQL = `
  SELECT b.period, b.opening_tiyn, b.closing_tiyn FROM balances b
   WHERE b.account_id = :account AND b.period <= :period ORDER BY b.period DESC LIMIT 1`;

/** Meters in service at some time during the period (installed before its end, not removed before its start). */
export const METERS_OF_PERIOD_SQL = `
  SELECT m.id, m.serial, m.place, m.int_digits, m.frac_digits, m.install_litres FROM meters m
   WHERE m.account_id = :account AND m.installed_on <= :periodEnd AND (m.removed_on IS NULL OR m.removed_on >= :periodStart)
   ORDER BY m.id`;

/** A meter's reading of the period (its latest correction), and its last one before the period. */
export const READING_OF_PERIOD = `
  SELECT value_litres, read_on, kind FROM readings r
   WHERE r.meter_id = :meter AND r.period = :period AND r.superseded_by IS NULL AND r.status = 'accepted'
   ORDER BY r.read_on DESC, r.id DESC LIMIT 1`;
export const READING_BEFORE = `
  SELECT value_litres, read_on, kind FROM readings r
   WHERE r.meter_id = :meter AND r.period < :period AND r.superseded_by IS NULL AND r.status = 'accepted'
   ORDER BY r.period DESC, r.read_on DESC, r.id DESC LIMIT 1`;

/** The water norm in force on a day, litres per resident and month. */
export const WATER_NORM_SQL = `
  SELECT litres_per_resident_month FROM norms WHERE service = 'water' AND valid_from <= :day
   ORDER BY valid_from DESC LIMIT 1`;

/**
 * A per-account query for a chunk of accounts: `<alias>.account_id = :account` (or `a.id` for the
 * party) becomes `= ANY(:accounts::bigint[])`, the account's id leads each row and the order.
 * PostgreSQL only (the desk shows one account at a time).
 */
export function forAccounts(sql: string, alias: string, { distinctOnAccount = false } = {}): string {
  const column = alias === 'a' ? 'a.id' : `${alias}.account_id`;
  const out = sql
    .replace(`${column} = :account`, `${column} = ANY(:accounts::bigint[])`)
    .replace(/^\s*SELECT /, `SELECT ${distinctOnAccount ? `DISTINCT ON (${column}) ` : ''}${column} AS account_id, `)
    .replace(/ORDER BY /, `ORDER BY ${column}, `);
  // One row per account, not one in all (the balance): DISTINCT ON does the LIMIT's work.
  return distinctOnAccount ? out.replace(/\s+LIMIT 1$/, '') : out;
}

/** `:name` parameters numbered for PostgreSQL, with the names in their order (a repeated name keeps its number). */
export function postgres(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/(?<![:\w]):([a-zA-Z]\w*)/g, (_, name: string) => {
    let at = names.indexOf(name);
    if (at < 0) at = names.push(name) - 1;
    return `$${at + 1}`;
  });
  return { text, names };
}

/** The values for a `postgres()` query, in its parameters' order. */
export const valuesFor = (query: { names: string[] }, params: Record<string, unknown>): unknown[] =>
  query.names.map((name) => {
    if (!(name in params)) throw new Error(`statement query: no value for :${name}`);
    return params[name];
  });
