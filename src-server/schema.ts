// The central schema: the replicated tables (the same columns the desktop has, see
// src-shared/demo/tables.ts) each with a `version` from one global sequence, bumped by a trigger on
// every insert and update, which is the pull cursor; plus offices, clients and mutation results.
import { DEMO_TABLES, type DemoTable } from '../src-shared/demo/tables';
import type { ServerDb, Sql } from './db';

const TEXT_COLUMNS = new Set([
  'name', 'kind', 'house', 'apartment', 'apartment_prefix', 'surname', 'first_name', 'patronymic', 'organisation', 'iin_bin',
  'email', 'language', 'number', 'contract_number', 'opened_on', 'closed_on', 'last_payment_on', 'serial', 'place', 'installed_on',
  'verified_on', 'next_verification_on', 'removed_on', 'period', 'read_on', 'source', 'service', 'customer_kind', 'valid_from',
  'valid_to', 'basis', 'charged_on', 'reason', 'posted_on', 'paid_on', 'channel', 'updated_at', 'status', 'login', 'registered_at',
  'last_sign_in_at', 'full_name', 'role', 'name_key', 'house_key', 'apartment_key',
]);

/** Replicated tables in parent-first order, with their key and how they are scoped to an office's districts. */
export const REPLICATED: { table: DemoTable; key: string[]; scope: 'none' | 'account' | 'meter' | 'self' }[] = [
  { table: 'districts', key: ['id'], scope: 'none' },
  { table: 'streets', key: ['id'], scope: 'none' },
  { table: 'buildings', key: ['id'], scope: 'none' },
  { table: 'premises', key: ['id'], scope: 'none' },
  { table: 'owners', key: ['id'], scope: 'none' },
  { table: 'tariffs', key: ['id'], scope: 'none' },
  { table: 'norms', key: ['id'], scope: 'none' },
  { table: 'operators', key: ['id'], scope: 'none' },
  { table: 'accounts', key: ['id'], scope: 'self' },
  { table: 'phones', key: ['id'], scope: 'account' },
  { table: 'meters', key: ['id'], scope: 'account' },
  { table: 'readings', key: ['id'], scope: 'meter' },
  { table: 'charges', key: ['id'], scope: 'account' },
  { table: 'recalculations', key: ['id'], scope: 'account' },
  { table: 'payments', key: ['id'], scope: 'account' },
  { table: 'balances', key: ['account_id', 'period'], scope: 'account' },
  { table: 'subscriptions', key: ['account_id'], scope: 'account' },
  { table: 'web_accounts', key: ['account_id'], scope: 'account' },
];

export const columnsOf = (table: DemoTable): readonly string[] => DEMO_TABLES[table];

/**
 * The version lock: every writer of replicated rows takes it before its first such write and keeps
 * it to commit, so row versions are handed out in commit order and a pull that has passed a version
 * never misses a row committed later with a smaller one. It serialises those writers across offices,
 * so take it as late as possible and never hold it over anything slow (a letter, a password hash):
 * row locks first, then this, then the replicated writes.
 */
export async function lockVersions(sql: Sql): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(7261)');
}

function ddl(): string[] {
  const parts = [
    'CREATE SEQUENCE row_version',
    `CREATE FUNCTION bump_version() RETURNS trigger AS $$ BEGIN NEW.version := nextval('row_version'); RETURN NEW; END $$ LANGUAGE plpgsql`,
  ];
  for (const { table, key } of REPLICATED) {
    const columns = columnsOf(table).map((c) => `${c} ${TEXT_COLUMNS.has(c) ? 'TEXT' : 'BIGINT'}${key.includes(c) ? ' NOT NULL' : ''}`);
    parts.push(`CREATE TABLE ${table} (${columns.join(', ')}, version BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (${key.join(', ')}))`);
    parts.push(`CREATE INDEX ${table}_version ON ${table} (version)`);
    parts.push(`CREATE TRIGGER ${table}_version BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION bump_version()`);
  }
  parts.push('CREATE INDEX accounts_district ON accounts (district_id)');
  parts.push('CREATE INDEX meters_account ON meters (account_id)');
  parts.push('CREATE INDEX readings_meter_period ON readings (meter_id, period)');
  parts.push('CREATE SEQUENCE readings_id START 1000000000'); // ids for readings made here, apart from seeded ones
  parts.push(`CREATE TABLE offices (key TEXT PRIMARY KEY, name TEXT NOT NULL, district_ids BIGINT[])`);
  parts.push(`CREATE TABLE clients (client_id TEXT PRIMARY KEY, office_key TEXT NOT NULL REFERENCES offices(key), last_seq BIGINT NOT NULL DEFAULT 0, seen_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  parts.push(`CREATE TABLE mutation_results (client_id TEXT NOT NULL, seq BIGINT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, code TEXT, message TEXT, operator_id BIGINT, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (client_id, seq))`);
  return parts;
}

/** Migration 2: deletes travel as tombstones (a row removed on the server is removed on desktops too). */
function tombstones(): string[] {
  const parts = [
    `CREATE TABLE tombstones (table_name TEXT NOT NULL, key JSONB NOT NULL, version BIGINT NOT NULL DEFAULT nextval('row_version'), PRIMARY KEY (table_name, key))`,
    'CREATE INDEX tombstones_version ON tombstones (version)',
    `CREATE FUNCTION record_tombstone() RETURNS trigger AS $$
BEGIN
  INSERT INTO tombstones (table_name, key) VALUES (TG_TABLE_NAME, (SELECT jsonb_object_agg(k, to_jsonb(OLD) -> k) FROM unnest(TG_ARGV) AS k))
  ON CONFLICT (table_name, key) DO UPDATE SET version = nextval('row_version');
  RETURN OLD;
END $$ LANGUAGE plpgsql`,
  ];
  for (const { table, key } of REPLICATED) {
    parts.push(`CREATE TRIGGER ${table}_tombstone AFTER DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION record_tombstone(${key.map((k) => `'${k}'`).join(', ')})`);
  }
  return parts;
}

/**
 * Migration 3: the customers' web accounts. Credentials, tokens and sessions live only here (never
 * replicated); `web_accounts` (replicated) carries what desktops may show. Plus the monthly mailing's
 * record (one row per period and account, so a rerun never sends twice) and the service's audit log.
 */
function webAccounts(): string[] {
  return [
    'CREATE UNIQUE INDEX web_accounts_login ON web_accounts (lower(login))',
    'CREATE INDEX web_accounts_email ON web_accounts (lower(email))',
    `CREATE TABLE web_credentials (
      account_id BIGINT PRIMARY KEY, customer_kind TEXT NOT NULL, phone TEXT, organisation TEXT, password_hash TEXT,
      pending_email TEXT, failed_sign_ins INT NOT NULL DEFAULT 0, locked_until TIMESTAMPTZ, status_before_block TEXT, block_reason TEXT, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    `CREATE TABLE web_tokens (
      token_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL, purpose TEXT NOT NULL, email TEXT,
      created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL, used_at TIMESTAMPTZ, failed_checks INT NOT NULL DEFAULT 0)`,
    'CREATE INDEX web_tokens_account ON web_tokens (account_id, purpose)',
    `CREATE TABLE web_sessions (token_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL, created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
    'CREATE INDEX web_sessions_account ON web_sessions (account_id)',
    `CREATE TABLE mailings (
      period TEXT NOT NULL, account_id BIGINT NOT NULL, email TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
      attempts INT NOT NULL DEFAULT 1, updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (period, account_id))`,
    `CREATE TABLE server_audit (
      id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, office_key TEXT, operator_id BIGINT, account_id BIGINT,
      operation TEXT NOT NULL, result TEXT NOT NULL, details JSONB)`,
    'CREATE INDEX server_audit_account ON server_audit (account_id, at)',
  ];
}

/**
 * Migration 4: operators' passwords and sessions (desktop sign-in), and audit entries uploaded by
 * desktops, each kept once per (client, local id).
 */
function operatorAuth(): string[] {
  return [
    `CREATE TABLE operator_credentials (
      operator_id BIGINT PRIMARY KEY, password_hash TEXT NOT NULL, active BOOLEAN NOT NULL DEFAULT true,
      failed_sign_ins INT NOT NULL DEFAULT 0, locked_until TIMESTAMPTZ, changed_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    `CREATE TABLE operator_sessions (
      token_hash TEXT PRIMARY KEY, operator_id BIGINT NOT NULL, office_key TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
    'CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id)',
    'ALTER TABLE server_audit ADD COLUMN client_id TEXT',
    'ALTER TABLE server_audit ADD COLUMN local_id BIGINT',
    'CREATE UNIQUE INDEX server_audit_client ON server_audit (client_id, local_id)',
    'CREATE INDEX server_audit_operator ON server_audit (operator_id, at)',
  ];
}

/**
 * Migration 5: whether an operator is active, on the replicated row too, so a desktop that pulled it
 * refuses an offline sign-in the administrator has since withdrawn (operator_credentials.active stays
 * what online sign-in checks; the two are changed together).
 */
function operatorActive(): string[] {
  return [
    'ALTER TABLE operators ADD COLUMN IF NOT EXISTS active BIGINT',
    `UPDATE operators o SET active = CASE WHEN EXISTS (SELECT 1 FROM operator_credentials c WHERE c.operator_id = o.id AND NOT c.active) THEN 0 ELSE 1 END
     WHERE o.active IS NULL`,
    'ALTER TABLE operators ALTER COLUMN active SET DEFAULT 1, ALTER COLUMN active SET NOT NULL',
  ];
}

/** Each migration is a list of statements (a function body may contain semicolons). */
export const SERVER_MIGRATIONS: string[][] = [ddl(), tombstones(), webAccounts(), operatorAuth(), operatorActive()];

/** Applies pending migrations in one transaction each; safe to run from several processes at once. */
export async function migrateServer(db: ServerDb): Promise<number> {
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  for (let v = 1; v <= SERVER_MIGRATIONS.length; v++) {
    await db.tx(async (sql) => {
      await sql.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
      const done = await sql.query('SELECT 1 FROM schema_migrations WHERE version = $1', [v]);
      if (done.length) return;
      for (const statement of SERVER_MIGRATIONS[v - 1]!) await sql.query(statement);
      await sql.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
    });
  }
  return SERVER_MIGRATIONS.length;
}
