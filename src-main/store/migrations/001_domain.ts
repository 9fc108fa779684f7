// Migration 1: the whole domain schema of the local cache (see docs/architecture.md, "Local store").
// Shipped migrations are append-only: never edit this file once released; add 002_*.ts instead.
//
// Conventions:
// - money is integer tiyn (1 ₸ = 100 tiyn), readings and volumes are integer litres;
// - dates are ISO text 'YYYY-MM-DD', timestamps ISO 'YYYY-MM-DDTHH:MM:SS.sssZ', periods 'YYYY-MM';
// - replicated tables mirror the central service: server ids and a server `version` per row; local
//   changes never edit them in place, they go to `outbox` (which the UI also shows as the pending
//   overlay, "ожидает отправки");
// - `accounts.balance_tiyn` > 0 is debt, < 0 is prepayment.
export default /* sql */ `
CREATE TABLE districts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE streets (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,               -- 'ул.', 'пр.', 'мкр.', 'пер.', 'бул.'
  name TEXT NOT NULL,               -- as written: 'Абая', 'Сейфуллина', 'Тәуелсіздік'
  version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE buildings (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES streets(id),
  district_id INTEGER NOT NULL REFERENCES districts(id),
  house TEXT NOT NULL,              -- '12', '12А', '12/1', '12 корп. 2'
  is_private INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX buildings_street_house ON buildings(street_id, house);

CREATE TABLE premises (
  id INTEGER PRIMARY KEY,
  building_id INTEGER NOT NULL REFERENCES buildings(id),
  apartment TEXT,                   -- NULL for a private house
  apartment_prefix TEXT,            -- литера, e.g. 'А'; NULL when none
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX premises_building_apartment ON premises(building_id, apartment);

CREATE TABLE owners (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('individual', 'legal')),
  surname TEXT,                     -- individuals
  first_name TEXT,
  patronymic TEXT,
  organisation TEXT,                -- legal entities
  iin_bin TEXT NOT NULL CHECK (length(iin_bin) = 12),
  email TEXT,
  language TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'kk', 'en')),
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX owners_iin_bin ON owners(iin_bin);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,      -- лицевой счёт, 6–10 digits
  kind TEXT NOT NULL CHECK (kind IN ('individual', 'legal')),
  owner_id INTEGER NOT NULL REFERENCES owners(id),
  premise_id INTEGER NOT NULL REFERENCES premises(id),
  district_id INTEGER NOT NULL REFERENCES districts(id),
  contract_number TEXT UNIQUE,      -- legal entities: 'Д-2019/0457'
  residents INTEGER NOT NULL DEFAULT 1 CHECK (residents >= 0),
  opened_on TEXT NOT NULL,
  closed_on TEXT,
  balance_tiyn INTEGER NOT NULL DEFAULT 0,
  last_payment_on TEXT,
  last_payment_tiyn INTEGER,
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX accounts_owner ON accounts(owner_id);
CREATE INDEX accounts_premise ON accounts(premise_id);

CREATE TABLE phones (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  number TEXT NOT NULL,             -- normalised '77011234567'
  kind TEXT NOT NULL DEFAULT 'mobile' CHECK (kind IN ('mobile', 'home', 'work')),
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX phones_number ON phones(number);
CREATE INDEX phones_account ON phones(account_id);

CREATE TABLE meters (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  serial TEXT NOT NULL,
  place TEXT NOT NULL,              -- 'kitchen', 'bathroom', 'toilet', 'yard', 'boiler'
  installed_on TEXT NOT NULL,
  verified_on TEXT NOT NULL,        -- last verification (поверка)
  next_verification_on TEXT NOT NULL,
  int_digits INTEGER NOT NULL DEFAULT 5,
  frac_digits INTEGER NOT NULL DEFAULT 2,
  removed_on TEXT,                  -- set when replaced
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meters_account ON meters(account_id);

CREATE TABLE readings (
  id INTEGER PRIMARY KEY,
  meter_id INTEGER NOT NULL REFERENCES meters(id),
  period TEXT NOT NULL,             -- 'YYYY-MM'
  value_litres INTEGER NOT NULL CHECK (value_litres >= 0),
  read_on TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('operator', 'web', 'controller', 'import')),
  kind TEXT NOT NULL DEFAULT 'normal' CHECK (kind IN ('normal', 'rollover', 'replacement')),
  operator_id INTEGER,
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX readings_meter_period ON readings(meter_id, period);

CREATE TABLE tariffs (
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL CHECK (service IN ('water', 'sewer')),
  customer_kind TEXT NOT NULL CHECK (customer_kind IN ('individual', 'legal')),
  valid_from TEXT NOT NULL,
  valid_to TEXT,                    -- exclusive; NULL = open-ended
  price_tiyn_per_m3 INTEGER NOT NULL CHECK (price_tiyn_per_m3 > 0),
  version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE norms (
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL CHECK (service IN ('water', 'sewer')),
  valid_from TEXT NOT NULL,
  litres_per_resident_month INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE charges (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  period TEXT NOT NULL,
  service TEXT NOT NULL CHECK (service IN ('water', 'sewer')),
  basis TEXT NOT NULL CHECK (basis IN ('meter', 'norm')),
  tariff_id INTEGER NOT NULL REFERENCES tariffs(id),
  days INTEGER NOT NULL,            -- days of the period this line covers (tariff splits)
  volume_litres INTEGER NOT NULL,
  price_tiyn_per_m3 INTEGER NOT NULL,
  amount_tiyn INTEGER NOT NULL,
  charged_on TEXT NOT NULL,         -- the date the charge was posted (last day of the period)
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX charges_account_period ON charges(account_id, period);

CREATE TABLE recalculations (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  period TEXT NOT NULL,
  service TEXT NOT NULL CHECK (service IN ('water', 'sewer')),
  amount_tiyn INTEGER NOT NULL,     -- negative = credit to the customer
  reason TEXT NOT NULL,
  posted_on TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recalculations_account_period ON recalculations(account_id, period);

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  paid_on TEXT NOT NULL,
  period TEXT NOT NULL,             -- the period the payment date falls in
  amount_tiyn INTEGER NOT NULL CHECK (amount_tiyn > 0),
  channel TEXT NOT NULL,            -- 'kaspi', 'bank', 'cash', 'web'
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX payments_account_date ON payments(account_id, paid_on);

CREATE TABLE balances (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  period TEXT NOT NULL,
  opening_tiyn INTEGER NOT NULL,
  closing_tiyn INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, period)
) WITHOUT ROWID;

CREATE TABLE subscriptions (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
  email TEXT NOT NULL,
  subscribed INTEGER NOT NULL CHECK (subscribed IN (0, 1)),
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0
);

-- A read-only mirror of the customer's web account: credentials and tokens live only in the central service.
CREATE TABLE web_accounts (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'blocked')),
  login TEXT NOT NULL,
  email TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  last_sign_in_at TEXT,
  version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE operators (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  full_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('counter', 'callcenter', 'supervisor', 'admin')),
  active INTEGER NOT NULL DEFAULT 1,
  offline_verifier TEXT,            -- scrypt verifier for offline sign-in; never the password
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  version INTEGER NOT NULL DEFAULT 0
);

-- Local changes as named mutations, pushed in seq order by the sync engine.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id TEXT NOT NULL,
  name TEXT NOT NULL,               -- the contract's operation name, e.g. 'readings.submit'
  args TEXT NOT NULL CHECK (json_valid(args)),
  account_id INTEGER,               -- for the "pending changes" badge and overlay
  operator_id INTEGER,
  created_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'applied', 'rejected', 'dismissed')),
  error_code TEXT,
  error_message TEXT,
  sent_at TEXT,
  settled_at TEXT
);
CREATE INDEX outbox_state ON outbox(state, seq);
CREATE INDEX outbox_account ON outbox(account_id, state);

CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  attachment_name TEXT,
  attachment BLOB,
  account_id INTEGER,
  language TEXT NOT NULL DEFAULT 'ru',
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  eml_file TEXT                     -- set when written as .eml because no SMTP server is configured
);
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  operator_id INTEGER,
  account_id INTEGER,
  operation TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
  details TEXT CHECK (details IS NULL OR json_valid(details))
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_account ON audit_log(account_id, at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,             -- 'clientId', 'cursor', 'lastSyncAt', 'demoSeed', ...
  value TEXT NOT NULL
) WITHOUT ROWID;
`;
