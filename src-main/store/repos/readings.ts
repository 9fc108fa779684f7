// Meters and readings of one account, as the readings screen needs them.
import type { Db } from '../db';

export interface MeterRow {
  id: number;
  serial: string;
  place: string;
  installed_on: string;
  verified_on: string;
  next_verification_on: string;
  int_digits: number;
  frac_digits: number;
  install_litres: number;
}

export interface ReadingRow {
  id: number;
  meter_id: number;
  period: string;
  value_litres: number;
  read_on: string;
  source: string;
  kind: 'normal' | 'rollover' | 'replacement';
  status: 'accepted' | 'held' | 'refused';
  reviewed_at: string | null;
  review_note: string | null;
  reviewer_name: string | null;
}

/** A reading as the meter's history shows it: every version, corrections and the rows they replaced. */
export interface HistoryRow extends ReadingRow {
  operator_name: string | null;
  reasons: string | null;
  client_id: string | null;
  entered_at: string | null;
  superseded_by: number | null;
}

/** A reading held for a supervisor, as the supervisor's queue lists it. */
export interface HeldRow {
  id: number;
  account_id: number;
  number: string;
  meter_id: number;
  serial: string;
  int_digits: number;
  frac_digits: number;
  value_litres: number;
  read_on: string;
  period: string;
  kind: 'normal' | 'rollover' | 'replacement';
  reasons: string | null;
  entered_at: string | null;
  operator_name: string | null;
  owner_kind: 'individual' | 'legal';
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  organisation: string | null;
  street_kind: string;
  street: string;
  house: string;
  apartment: string | null;
  apartment_prefix: string | null;
}

/** The name of the supervisor who decided on a held reading. */
const REVIEWER = `(SELECT coalesce((SELECT full_name FROM operators WHERE id = r.reviewed_by), (SELECT full_name FROM operator_verifiers WHERE operator_id = r.reviewed_by)))`;

export function createReadingsRepo(db: Db) {
  const account = db.prepare<[number], { id: number; residents: number; kind: string }>(
    'SELECT id, residents, kind FROM accounts WHERE id = ?',
  );
  const meters = db.prepare<[number], MeterRow>(
    'SELECT id, serial, place, installed_on, verified_on, next_verification_on, int_digits, frac_digits, install_litres FROM meters WHERE account_id = ? AND removed_on IS NULL ORDER BY id',
  );
  const meterOf = db.prepare<[number, number], MeterRow>(
    'SELECT id, serial, place, installed_on, verified_on, next_verification_on, int_digits, frac_digits, install_litres FROM meters WHERE account_id = ? AND id = ?',
  );
  // The last 8 readings per meter are enough for "previous" and a 6-month average (refused ones are
  // not readings of the meter; held ones are shown as held, and neither billed nor counted).
  const recent = db.prepare<[number], ReadingRow>(
    `SELECT r.id, r.meter_id, r.period, r.value_litres, r.read_on, r.source, r.kind, r.status, r.reviewed_at, r.review_note, ${REVIEWER} AS reviewer_name
       FROM readings r WHERE r.meter_id = ? AND r.superseded_by IS NULL AND r.status <> 'refused' ORDER BY r.read_on DESC, r.id DESC LIMIT 8`,
  );
  const held = db.prepare<[number], HeldRow>(
    `SELECT r.id, m.account_id, a.number, r.meter_id, m.serial, m.int_digits, m.frac_digits, r.value_litres, r.read_on, r.period, r.kind, r.reasons, r.entered_at,
            coalesce(o.full_name, v.full_name) AS operator_name, w.kind AS owner_kind, w.surname, w.first_name, w.patronymic, w.organisation,
            s.kind AS street_kind, s.name AS street, b.house, p.apartment, p.apartment_prefix
       FROM readings r JOIN meters m ON m.id = r.meter_id JOIN accounts a ON a.id = m.account_id JOIN owners w ON w.id = a.owner_id
       JOIN premises p ON p.id = a.premise_id JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id
       LEFT JOIN operators o ON o.id = r.operator_id LEFT JOIN operator_verifiers v ON v.operator_id = r.operator_id
      WHERE r.status = 'held' AND r.superseded_by IS NULL ORDER BY r.entered_at, r.id LIMIT ?`,
  );
  const heldCount = db
    .prepare<[], number>("SELECT count(*) FROM readings WHERE status = 'held' AND superseded_by IS NULL")
    .pluck();
  const readingOf = db.prepare<[number], ReadingRow & { account_id: number; superseded_by: number | null }>(
    `SELECT r.id, r.meter_id, m.account_id, r.period, r.value_litres, r.read_on, r.source, r.kind, r.status, r.superseded_by, r.reviewed_at, r.review_note, NULL AS reviewer_name
       FROM readings r JOIN meters m ON m.id = r.meter_id WHERE r.id = ?`,
  );
  const currentVersion = db
    .prepare<[number, string], number>(
      'SELECT version FROM readings WHERE meter_id = ? AND period = ? AND superseded_by IS NULL ORDER BY id DESC LIMIT 1',
    )
    .pluck();
  const history = db.prepare<[number], HistoryRow>(
    `SELECT r.id, r.meter_id, r.period, r.value_litres, r.read_on, r.source, r.kind, r.reasons, r.client_id, r.entered_at, r.superseded_by, r.status,
            r.reviewed_at, r.review_note, ${REVIEWER} AS reviewer_name, coalesce(o.full_name, v.full_name) AS operator_name
       FROM readings r LEFT JOIN operators o ON o.id = r.operator_id LEFT JOIN operator_verifiers v ON v.operator_id = r.operator_id
      WHERE r.meter_id = ? ORDER BY r.period DESC, r.id DESC LIMIT 60`,
  );
  const norm = db
    .prepare<[string, string], number>(
      'SELECT litres_per_resident_month FROM norms WHERE service = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1',
    )
    .pluck();
  return {
    account: (id: number) => account.get(id),
    meters: (accountId: number) => meters.all(accountId),
    /** A meter of the account, removed ones too (their history stays readable). */
    meterOf: (accountId: number, meterId: number) => meterOf.get(accountId, meterId),
    recentReadings: (meterId: number) => recent.all(meterId),
    /** Readings held for a supervisor, oldest first, and how many there are. */
    held: (limit: number) => ({ rows: held.all(limit), total: heldCount.get() ?? 0 }),
    reading: (id: number) => readingOf.get(id),
    waterNorm: (onDate: string) => norm.get('water', onDate) ?? null,
    /** Every reading of a meter, newest first, corrected ones included (they are kept as history). */
    history: (meterId: number) => history.all(meterId),
    /** The version of the period's reading this desk holds from the service (null: none): what the operator saw. */
    currentVersion: (meterId: number, period: string) => currentVersion.get(meterId, period) ?? null,
  };
}
