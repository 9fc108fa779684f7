// The replication model: every table the central service replicates to desks, with its key, its
// columns (in the demo generator's order, with their types) and its scope — which office sees which
// row. The service's pull and seed, the desk's page applier, the demo generator's column lists and the
// sync benchmark all read this one list; the server's migrations are frozen SQL, and a test checks that
// the schema they build carries exactly these columns.
// One file although past 300 lines: it is a catalogue of table definitions, one entry per table and
// no logic to speak of; split, "the one list" would be several.

export type ColumnType = 'int' | 'text';

/**
 * Which office sees a row.
 * - `global`: every office (reference data).
 * - `office`: the operators of an office (server column `office_id`; NULL = utility-wide, every office).
 * - `district`: the row's own `district_id` (accounts).
 * - `account` / `meter`: the district of the account the row belongs to, directly or through its meter
 *   (server column `district_id`, kept by triggers: an account that moves takes its rows with it).
 * - `served`: the districts of the accounts the row serves, through the table and column named in
 *   `by` (server column `districts`, kept by triggers): an owner, a premise, a building, a street.
 */
export type Scope =
  | { kind: 'global' }
  | { kind: 'office' }
  | { kind: 'district' }
  | { kind: 'account' }
  | { kind: 'meter' }
  | { kind: 'served'; by: { table: string; column: string } };

export interface ReplicatedTable {
  readonly name: string;
  readonly key: readonly string[];
  /** column → type, in the order rows travel (the demo generator's and the pull pages' order) */
  readonly columns: Readonly<Record<string, ColumnType>>;
  readonly scope: Scope;
}

const t = <N extends string, C extends Record<string, ColumnType>>(
  name: N,
  key: readonly (keyof C & string)[],
  columns: C,
  scope: Scope,
) => ({ name, key, columns, scope }) as const;

/** Parent tables first: the order pages are written and seeds are loaded in. */
export const REPLICATION = [
  t('districts', ['id'], { id: 'int', name: 'text' }, { kind: 'global' }),
  t(
    'streets',
    ['id'],
    { id: 'int', kind: 'text', name: 'text', name_key: 'text' },
    { kind: 'served', by: { table: 'buildings', column: 'street_id' } },
  ),
  // Former and other names of streets: public knowledge, every office's.
  t('street_aliases', ['id'], { id: 'int', street_id: 'int', name: 'text', name_key: 'text' }, { kind: 'global' }),
  t(
    'buildings',
    ['id'],
    { id: 'int', street_id: 'int', district_id: 'int', house: 'text', is_private: 'int', house_key: 'text' },
    { kind: 'served', by: { table: 'premises', column: 'building_id' } },
  ),
  t(
    'premises',
    ['id'],
    { id: 'int', building_id: 'int', apartment: 'text', apartment_prefix: 'text', apartment_key: 'text' },
    { kind: 'served', by: { table: 'accounts', column: 'premise_id' } },
  ),
  t(
    'owners',
    ['id'],
    {
      id: 'int',
      kind: 'text',
      surname: 'text',
      first_name: 'text',
      patronymic: 'text',
      organisation: 'text',
      iin_bin: 'text',
      email: 'text',
      language: 'text',
      name_key: 'text',
      // 1: a legal entity registered for VAT (НДС / ҚҚС): its act of reconciliation and breakdowns print
      // the VAT their turnovers include (src-shared/domain/vat.ts)
      vat_payer: 'int',
    },
    { kind: 'served', by: { table: 'accounts', column: 'owner_id' } },
  ),
  t(
    'tariffs',
    ['id'],
    {
      id: 'int',
      service: 'text',
      customer_kind: 'text',
      valid_from: 'text',
      valid_to: 'text',
      price_tiyn_per_m3: 'int',
    },
    { kind: 'global' },
  ),
  t(
    'norms',
    ['id'],
    { id: 'int', service: 'text', valid_from: 'text', litres_per_resident_month: 'int' },
    { kind: 'global' },
  ),
  t(
    'operators',
    ['id'],
    { id: 'int', login: 'text', full_name: 'text', role: 'text', active: 'int' },
    { kind: 'office' },
  ),
  t(
    'accounts',
    ['id'],
    {
      id: 'int',
      number: 'text',
      kind: 'text',
      owner_id: 'int',
      premise_id: 'int',
      district_id: 'int',
      contract_number: 'text',
      residents: 'int',
      opened_on: 'text',
      closed_on: 'text',
      balance_tiyn: 'int',
      last_payment_on: 'text',
      last_payment_tiyn: 'int',
    },
    { kind: 'district' },
  ),
  t('phones', ['id'], { id: 'int', account_id: 'int', number: 'text', kind: 'text' }, { kind: 'account' }),
  t(
    'meters',
    ['id'],
    {
      id: 'int',
      account_id: 'int',
      serial: 'text',
      place: 'text',
      installed_on: 'text',
      verified_on: 'text',
      next_verification_on: 'text',
      int_digits: 'int',
      frac_digits: 'int',
      removed_on: 'text',
      install_litres: 'int',
    },
    { kind: 'account' },
  ),
  // Who entered a reading, why, at which desk and when; a correction is a new row and the one it
  // corrects points to it (`superseded_by`): kept as history, never overwritten. `status`: accepted,
  // held for a supervisor (not billed), refused; `reviewed_*`: the supervisor's decision on a held one.
  t(
    'readings',
    ['id'],
    {
      id: 'int',
      meter_id: 'int',
      period: 'text',
      value_litres: 'int',
      read_on: 'text',
      source: 'text',
      kind: 'text',
      operator_id: 'int',
      reasons: 'text',
      client_id: 'text',
      entered_at: 'text',
      superseded_by: 'int',
      status: 'text',
      reviewed_by: 'int',
      reviewed_at: 'text',
      review_note: 'text',
    },
    { kind: 'meter' },
  ),
  t(
    'charges',
    ['id'],
    {
      id: 'int',
      account_id: 'int',
      period: 'text',
      service: 'text',
      basis: 'text',
      tariff_id: 'int',
      days: 'int',
      volume_litres: 'int',
      price_tiyn_per_m3: 'int',
      amount_tiyn: 'int',
      charged_on: 'text',
    },
    { kind: 'account' },
  ),
  t(
    'recalculations',
    ['id'],
    {
      id: 'int',
      account_id: 'int',
      period: 'text',
      service: 'text',
      amount_tiyn: 'int',
      reason: 'text',
      posted_on: 'text',
    },
    { kind: 'account' },
  ),
  t(
    'payments',
    ['id'],
    { id: 'int', account_id: 'int', paid_on: 'text', period: 'text', amount_tiyn: 'int', channel: 'text' },
    { kind: 'account' },
  ),
  t(
    'balances',
    ['account_id', 'period'],
    { account_id: 'int', period: 'text', opening_tiyn: 'int', closing_tiyn: 'int' },
    { kind: 'account' },
  ),
  t(
    'subscriptions',
    ['account_id'],
    { account_id: 'int', email: 'text', subscribed: 'int', updated_at: 'text' },
    { kind: 'account' },
  ),
  t(
    'web_accounts',
    ['account_id'],
    { account_id: 'int', status: 'text', login: 'text', email: 'text', registered_at: 'text', last_sign_in_at: 'text' },
    { kind: 'account' },
  ),
  // Notes and flags on an account (src-shared/schemas/notes.ts), keyed by the id the adding desk made;
  // a removed one keeps its row with who removed it and when (never deleted: the story stays).
  t(
    'account_notes',
    ['id'],
    {
      id: 'text',
      account_id: 'int',
      kind: 'text',
      text: 'text',
      created_by: 'int',
      created_at: 'text',
      removed_by: 'int',
      removed_at: 'text',
    },
    { kind: 'account' },
  ),
  // The contact log (src-shared/schemas/contacts.ts): a contact is its office's (the office of the desk
  // that pushed it, `office_id` on the service); its topics are every office's.
  t(
    'contacts',
    ['id'],
    {
      id: 'text',
      channel: 'text',
      account_id: 'int',
      operator_id: 'int',
      started_at: 'text',
      ended_at: 'text',
      topic_id: 'text',
      note: 'text',
      actions: 'text',
    },
    { kind: 'office' },
  ),
  t(
    'contact_topics',
    ['id'],
    { id: 'text', name_ru: 'text', name_kk: 'text', name_en: 'text', active: 'int', position: 'int' },
    { kind: 'global' },
  ),
  // The utility's requisites (src-shared/schemas/utility.ts): one row, id 1, every office's.
  t('utility', ['id'], { id: 'int', requisites: 'text', updated_at: 'text' }, { kind: 'global' }),
] as const satisfies readonly ReplicatedTable[];

export type TableName = (typeof REPLICATION)[number]['name'];
export type ColumnsOf<N extends TableName> = keyof Extract<(typeof REPLICATION)[number], { name: N }>['columns'] &
  string;

export const TABLE_NAMES: readonly TableName[] = REPLICATION.map((table) => table.name);
const byName = new Map<string, ReplicatedTable>(REPLICATION.map((table) => [table.name, table]));

export function isReplicatedTable(name: string): name is TableName {
  return byName.has(name);
}

export function tableSpec(name: TableName): ReplicatedTable {
  return byName.get(name)!;
}

/** The replicated columns of a table, in travel order. */
export function columnsOf(name: TableName): readonly string[] {
  return Object.keys(byName.get(name)!.columns);
}

/** The server-only column that carries a table's scope (null for `global`). */
export function scopeColumn(scope: Scope): 'district_id' | 'districts' | 'office_id' | null {
  switch (scope.kind) {
    case 'global':
      return null;
    case 'office':
      return 'office_id';
    case 'served':
      return 'districts';
    default:
      return 'district_id';
  }
}

/**
 * Bumped when the model changes what an office receives (a table, a column, a scope rule): a desk
 * that synced under another model version pulls its office again in full (see the sync engine).
 */
export const MODEL_VERSION = 1;

/** The wire protocol of pull, push, hello and audit; the service refuses desks older than its minimum. */
export const PROTOCOL_VERSION = 2;
export const MIN_PROTOCOL_VERSION = 2;
export const PROTOCOL_HEADER = 'x-aquadesk-protocol';
