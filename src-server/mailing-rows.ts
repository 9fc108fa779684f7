// The rows of an account-month for the mailing's breakdowns, read from PostgreSQL with the very
// queries the desk runs on SQLite (src-shared/statements/sql.ts), a chunk of letters at a time: six
// queries per chunk instead of six per letter. The result is the StoredBreakdown the shared builder
// takes, so the page a customer receives is the page an operator prints.
import { AppError } from '../src-shared/errors';
import { firstDay, lastDay, type Period } from '../src-shared/domain/period';
import {
  partiesFromRow,
  type AccountPartyRow,
  type BalanceRow,
  type ChargeLineRow,
  type PaymentLineRow,
  type RecalculationLineRow,
  type StoredBreakdown,
} from '../src-shared/statements';
import {
  BALANCE_AT_SQL,
  CHARGES_OF_PERIOD_SQL,
  forAccounts,
  METERS_OF_PERIOD_SQL,
  PARTY_SQL,
  PAYMENTS_OF_PERIOD_SQL,
  postgres,
  READING_BEFORE,
  READING_OF_PERIOD,
  RECALCULATIONS_OF_PERIOD_SQL,
  valuesFor,
  WATER_NORM_SQL,
} from '../src-shared/statements/sql';
import type { Sql } from './db';

/** The utility's requisites as a statement names its supplier. */
type Utility = Parameters<typeof partiesFromRow>[1];

type Kind = 'normal' | 'rollover' | 'replacement';
interface MeterJoinRow {
  id: number;
  serial: string;
  place: string;
  int_digits: number;
  frac_digits: number;
  cur_value_litres: number | null;
  cur_read_on: string | null;
  cur_kind: Kind | null;
  prev_value_litres: number | null;
  prev_read_on: string | null;
  prev_kind: Kind | null;
}

// A meter's readings joined LATERAL where the desk looks them up meter by meter: the same subqueries.
const lateral = (reading: string) => reading.replace(':meter', 'mm.id');
const METERS_WITH_READINGS_SQL = `
  SELECT mm.*, cur.value_litres AS cur_value_litres, cur.read_on AS cur_read_on, cur.kind AS cur_kind,
         prev.value_litres AS prev_value_litres, prev.read_on AS prev_read_on, prev.kind AS prev_kind
    FROM (${forAccounts(METERS_OF_PERIOD_SQL, 'm')}) mm
    LEFT JOIN LATERAL (${lateral(READING_OF_PERIOD)}) cur ON true
    LEFT JOIN LATERAL (${lateral(READING_BEFORE)}) prev ON true
   ORDER BY mm.account_id, mm.id`;

const BATCH = {
  party: postgres(forAccounts(PARTY_SQL, 'a')),
  charges: postgres(forAccounts(CHARGES_OF_PERIOD_SQL, 'c')),
  recalculations: postgres(forAccounts(RECALCULATIONS_OF_PERIOD_SQL, 'r')),
  payments: postgres(forAccounts(PAYMENTS_OF_PERIOD_SQL, 'p')),
  balances: postgres(forAccounts(BALANCE_AT_SQL, 'b', { distinctOnAccount: true })),
  meters: postgres(METERS_WITH_READINGS_SQL),
};
const WATER_NORM = postgres(WATER_NORM_SQL);

/** The water norm in force on a day (litres per resident and month), or null. */
export async function waterNormOn(sql: Sql, day: string): Promise<number | null> {
  const rows = await sql.query<{ litres_per_resident_month: number }>(WATER_NORM.text, valuesFor(WATER_NORM, { day }));
  return rows[0] ? Number(rows[0].litres_per_resident_month) : null;
}

interface RawBreakdown {
  party: AccountPartyRow | undefined;
  charges: ChargeLineRow[];
  recalculations: RecalculationLineRow[];
  payments: PaymentLineRow[];
  balances: BalanceRow[];
  meters: MeterJoinRow[];
}

/** Rows grouped by account, without the account column (so each row is what the desk's query returns). */
function groupByAccount<T>(
  rows: (T & { account_id: number | string })[],
  into: Map<number, RawBreakdown>,
  key: 'charges' | 'recalculations' | 'payments' | 'balances' | 'meters',
) {
  for (const { account_id, ...row } of rows) (into.get(Number(account_id))?.[key] as unknown[] | undefined)?.push(row);
}

async function readRawBreakdowns(
  sql: Sql,
  accountIds: readonly number[],
  period: Period,
): Promise<Map<number, RawBreakdown>> {
  const params = { accounts: [...accountIds], period, periodStart: firstDay(period), periodEnd: lastDay(period) };
  const read = <T>(query: { text: string; names: string[] }) =>
    sql.query<T & { account_id: number }>(query.text, valuesFor(query, params));
  const [party, charges, recalculations, payments, balances, meters] = await Promise.all([
    read<AccountPartyRow>(BATCH.party),
    read<ChargeLineRow>(BATCH.charges),
    read<RecalculationLineRow>(BATCH.recalculations),
    read<PaymentLineRow>(BATCH.payments),
    read<BalanceRow>(BATCH.balances),
    read<MeterJoinRow>(BATCH.meters),
  ]);
  const out = new Map<number, RawBreakdown>(
    accountIds.map((id) => [
      id,
      { party: undefined, charges: [], recalculations: [], payments: [], balances: [], meters: [] },
    ]),
  );
  for (const { account_id, ...row } of party) {
    const raw = out.get(Number(account_id));
    if (raw) raw.party = row as AccountPartyRow;
  }
  groupByAccount(charges, out, 'charges');
  groupByAccount(recalculations, out, 'recalculations');
  groupByAccount(payments, out, 'payments');
  groupByAccount(balances, out, 'balances');
  groupByAccount(meters, out, 'meters');
  return out;
}

// Rows read ahead for a run: (database, "period:account") → the chunk's promise. readStoredBreakdown
// takes its account's entry when there is one (once), else reads the account alone.
const readAhead = new WeakMap<object, Map<string, Promise<RawBreakdown | undefined>>>();

/** Reads the rows of these account-months in one go for the readStoredBreakdown calls to come; returns how to drop what was not taken. */
export function readBreakdownsAhead(sql: Sql, accountIds: readonly number[], period: Period): () => void {
  let cache = readAhead.get(sql);
  if (!cache) readAhead.set(sql, (cache = new Map()));
  const batch = readRawBreakdowns(sql, accountIds, period);
  batch.catch(() => undefined); // a failed read is reported by the readStoredBreakdown that takes it
  for (const id of accountIds)
    cache.set(
      `${period}:${id}`,
      batch.then((all) => all.get(id)),
    );
  return () => {
    for (const id of accountIds) cache.delete(`${period}:${id}`);
  };
}

/** The stored rows of one account-month, as the shared breakdown builder takes them. */
export async function readStoredBreakdown(
  sql: Sql,
  accountId: number,
  period: Period,
  utility: Utility,
  waterNormLitres: number | null,
): Promise<StoredBreakdown> {
  const key = `${period}:${accountId}`;
  const ahead = readAhead.get(sql)?.get(key);
  readAhead.get(sql)?.delete(key);
  const raw = (ahead ? await ahead : undefined) ?? (await readRawBreakdowns(sql, [accountId], period)).get(accountId)!;
  const { party: partyRow, charges, recalculations, payments, balances, meters } = raw;
  const party = partyRow ? [partyRow] : [];
  if (!party[0]) throw new AppError('NOT_FOUND', 'No such account', { accountId });
  const balance = balances[0];
  return {
    parties: partiesFromRow(party[0], utility),
    period,
    balance: balance?.period === period ? balance : null,
    balanceBefore: balance?.period === period ? null : balance,
    charges,
    recalculations,
    payments,
    meters: meters.map((m) => ({
      meter: { id: m.id, serial: m.serial, place: m.place, int_digits: m.int_digits, frac_digits: m.frac_digits },
      current:
        m.cur_read_on === null
          ? null
          : { value_litres: m.cur_value_litres!, read_on: m.cur_read_on, kind: m.cur_kind! },
      previous:
        m.prev_read_on === null
          ? null
          : { value_litres: m.prev_value_litres!, read_on: m.prev_read_on, kind: m.prev_kind! },
    })),
    waterNormLitres,
  };
}
