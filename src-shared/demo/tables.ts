// The rows the demo generator emits, table by table, in column order. The writer in src-main turns
// them into batched multi-row INSERTs; nothing here knows about SQLite.

export const DEMO_TABLES = {
  districts: ['id', 'name'],
  streets: ['id', 'kind', 'name', 'name_key'],
  buildings: ['id', 'street_id', 'district_id', 'house', 'is_private', 'house_key'],
  premises: ['id', 'building_id', 'apartment', 'apartment_prefix', 'apartment_key'],
  owners: ['id', 'kind', 'surname', 'first_name', 'patronymic', 'organisation', 'iin_bin', 'email', 'language', 'name_key'],
  accounts: [
    'id', 'number', 'kind', 'owner_id', 'premise_id', 'district_id', 'contract_number', 'residents', 'opened_on',
    'closed_on', 'balance_tiyn', 'last_payment_on', 'last_payment_tiyn',
  ],
  phones: ['id', 'account_id', 'number', 'kind'],
  meters: [
    'id', 'account_id', 'serial', 'place', 'installed_on', 'verified_on', 'next_verification_on', 'int_digits',
    'frac_digits', 'removed_on',
  ],
  readings: ['id', 'meter_id', 'period', 'value_litres', 'read_on', 'source', 'kind'],
  tariffs: ['id', 'service', 'customer_kind', 'valid_from', 'valid_to', 'price_tiyn_per_m3'],
  norms: ['id', 'service', 'valid_from', 'litres_per_resident_month'],
  charges: [
    'id', 'account_id', 'period', 'service', 'basis', 'tariff_id', 'days', 'volume_litres', 'price_tiyn_per_m3',
    'amount_tiyn', 'charged_on',
  ],
  recalculations: ['id', 'account_id', 'period', 'service', 'amount_tiyn', 'reason', 'posted_on'],
  payments: ['id', 'account_id', 'paid_on', 'period', 'amount_tiyn', 'channel'],
  balances: ['account_id', 'period', 'opening_tiyn', 'closing_tiyn'],
  subscriptions: ['account_id', 'email', 'subscribed', 'updated_at'],
  web_accounts: ['account_id', 'status', 'login', 'email', 'registered_at', 'last_sign_in_at'],
  operators: ['id', 'login', 'full_name', 'role', 'active'],
} as const;

export type DemoTable = keyof typeof DEMO_TABLES;
export type Cell = string | number | null;

export interface DemoSink {
  row(table: DemoTable, values: Cell[]): void;
  /** Called every `progressEvery` accounts and once at the end; a good place to commit a batch. */
  progress(doneAccounts: number, totalAccounts: number): void;
}
