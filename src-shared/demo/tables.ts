// The rows the demo generator emits, table by table: the replication model's tables and columns
// (src-shared/replication/model.ts). The generator builds each row as an object keyed by column name
// (`DemoRow`); `DEMO_COLUMNS` says which columns it fills, and `demoValues` is the one place that turns
// a row into values in that order, which is what a sink gets (the SQLite writer in src-main, and through
// its file the service's seed). A column added to the model and to a row cannot shift the others.
// Nothing here knows about SQLite.
import { columnsOf, TABLE_NAMES, type ColumnsOf, type TableName } from '../replication/model';

export type Cell = string | number | null;

/**
 * The columns the generator fills, per table it fills, in the order of the values a sink gets. The
 * model's other columns keep the schema's defaults: a meter's installation reading, and who entered a
 * reading, when, at which desk, its status and review (the demo's readings are the history before any
 * desk). A replicated table the demo does not fill has no entry.
 */
export const DEMO_COLUMNS = {
  districts: ['id', 'name'],
  streets: ['id', 'kind', 'name', 'name_key'],
  street_aliases: ['id', 'street_id', 'name', 'name_key'],
  buildings: ['id', 'street_id', 'district_id', 'house', 'is_private', 'house_key'],
  premises: ['id', 'building_id', 'apartment', 'apartment_prefix', 'apartment_key'],
  owners: [
    'id',
    'kind',
    'surname',
    'first_name',
    'patronymic',
    'organisation',
    'iin_bin',
    'email',
    'language',
    'name_key',
    'vat_payer',
  ],
  tariffs: ['id', 'service', 'customer_kind', 'valid_from', 'valid_to', 'price_tiyn_per_m3'],
  norms: ['id', 'service', 'valid_from', 'litres_per_resident_month'],
  operators: ['id', 'login', 'full_name', 'role', 'active'],
  accounts: [
    'id',
    'number',
    'kind',
    'owner_id',
    'premise_id',
    'district_id',
    'contract_number',
    'residents',
    'opened_on',
    'closed_on',
    'balance_tiyn',
    'last_payment_on',
    'last_payment_tiyn',
  ],
  phones: ['id', 'account_id', 'number', 'kind'],
  meters: [
    'id',
    'account_id',
    'serial',
    'place',
    'installed_on',
    'verified_on',
    'next_verification_on',
    'int_digits',
    'frac_digits',
    'removed_on',
  ],
  readings: ['id', 'meter_id', 'period', 'value_litres', 'read_on', 'source', 'kind'],
  charges: [
    'id',
    'account_id',
    'period',
    'service',
    'basis',
    'tariff_id',
    'days',
    'volume_litres',
    'price_tiyn_per_m3',
    'amount_tiyn',
    'charged_on',
  ],
  recalculations: ['id', 'account_id', 'period', 'service', 'amount_tiyn', 'reason', 'posted_on'],
  payments: ['id', 'account_id', 'paid_on', 'period', 'amount_tiyn', 'channel'],
  balances: ['account_id', 'period', 'opening_tiyn', 'closing_tiyn'],
  subscriptions: ['account_id', 'email', 'subscribed', 'updated_at'],
  web_accounts: ['account_id', 'status', 'login', 'email', 'registered_at', 'last_sign_in_at'],
} as const satisfies { readonly [T in TableName]?: readonly ColumnsOf<T>[] };

/** A table the demo fills. */
export type DemoTable = keyof typeof DEMO_COLUMNS;
const isDemoTable = (name: TableName): name is DemoTable => name in DEMO_COLUMNS;

/** Every replicated column of each table the demo fills, in travel order (what a copy of the demo holds). */
export const DEMO_TABLES = Object.fromEntries(
  TABLE_NAMES.filter(isDemoTable).map((name) => [name, columnsOf(name)]),
) as Readonly<Record<DemoTable, readonly string[]>>;

/** A row of `table` as the generator builds it: every column it fills, by name. */
export type DemoRow<T extends DemoTable> = { readonly [C in (typeof DEMO_COLUMNS)[T][number]]: Cell };

/**
 * Per table, a function reading a row's columns in `DEMO_COLUMNS` order, compiled once from the list
 * (column names are the model's identifiers, checked here). Why compiled: a generic loop reading
 * `row[column]` sees every table's row shape at one site, and that megamorphic read made the whole
 * generator about a third slower; one function per table reads one shape.
 */
const valuesOf = Object.fromEntries(
  Object.entries(DEMO_COLUMNS).map(([table, columns]) => {
    for (const column of columns)
      if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`demo column ${table}.${column} is not an identifier`);
    return [
      table,
      new Function('row', `return [${columns.map((column) => `row.${column}`).join(', ')}];`) as (
        row: object,
      ) => Cell[],
    ];
  }),
) as Readonly<Record<DemoTable, (row: object) => Cell[]>>;

/** The row's values in `DEMO_COLUMNS[table]` order: what a sink gets. */
export function demoValues<T extends DemoTable>(table: T, row: DemoRow<T>): Cell[] {
  return valuesOf[table](row);
}

export interface DemoSink {
  /** One row: its values in `DEMO_COLUMNS[table]` order. */
  row(table: DemoTable, values: Cell[]): void;
  /** Called every `progressEvery` accounts and once at the end; a good place to commit a batch. */
  progress(doneAccounts: number, totalAccounts: number): void;
}
