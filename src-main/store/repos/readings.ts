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
  meter_id: number;
  period: string;
  value_litres: number;
  read_on: string;
  source: string;
  kind: 'normal' | 'rollover' | 'replacement';
}

/** A reading as the meter's history shows it: every version, corrections and the rows they replaced. */
export interface HistoryRow extends ReadingRow {
  id: number;
  operator_name: string | null;
  reasons: string | null;
  client_id: string | null;
  entered_at: string | null;
  superseded_by: number | null;
  status: string;
}

export function createReadingsRepo(db: Db) {
  const account = db.prepare<[number], { id: number; residents: number; kind: string }>('SELECT id, residents, kind FROM accounts WHERE id = ?');
  const meters = db.prepare<[number], MeterRow>(
    'SELECT id, serial, place, installed_on, verified_on, next_verification_on, int_digits, frac_digits, install_litres FROM meters WHERE account_id = ? AND removed_on IS NULL ORDER BY id',
  );
  const meterOf = db.prepare<[number, number], MeterRow>(
    'SELECT id, serial, place, installed_on, verified_on, next_verification_on, int_digits, frac_digits, install_litres FROM meters WHERE account_id = ? AND id = ?',
  );
  // The last 8 readings per meter are enough for "previous" and a 6-month average.
  const recent = db.prepare<[number], ReadingRow>(
    "SELECT meter_id, period, value_litres, read_on, source, kind FROM readings WHERE meter_id = ? AND superseded_by IS NULL AND status <> 'refused' ORDER BY read_on DESC, id DESC LIMIT 8",
  );
  const currentVersion = db.prepare<[number, string], number>('SELECT version FROM readings WHERE meter_id = ? AND period = ? AND superseded_by IS NULL ORDER BY id DESC LIMIT 1').pluck();
  const history = db.prepare<[number], HistoryRow>(
    `SELECT r.id, r.meter_id, r.period, r.value_litres, r.read_on, r.source, r.kind, r.reasons, r.client_id, r.entered_at, r.superseded_by, r.status,
            coalesce(o.full_name, v.full_name) AS operator_name
       FROM readings r LEFT JOIN operators o ON o.id = r.operator_id LEFT JOIN operator_verifiers v ON v.operator_id = r.operator_id
      WHERE r.meter_id = ? ORDER BY r.period DESC, r.id DESC LIMIT 60`,
  );
  const norm = db.prepare<[string, string], number>(
    'SELECT litres_per_resident_month FROM norms WHERE service = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1',
  ).pluck();
  return {
    account: (id: number) => account.get(id),
    meters: (accountId: number) => meters.all(accountId),
    /** A meter of the account, removed ones too (their history stays readable). */
    meterOf: (accountId: number, meterId: number) => meterOf.get(accountId, meterId),
    recentReadings: (meterId: number) => recent.all(meterId),
    waterNorm: (onDate: string) => norm.get('water', onDate) ?? null,
    /** Every reading of a meter, newest first, corrected ones included (they are kept as history). */
    history: (meterId: number) => history.all(meterId),
    /** The version of the period's reading this desk holds from the service (null: none): what the operator saw. */
    currentVersion: (meterId: number, period: string) => currentVersion.get(meterId, period) ?? null,
  };
}
