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
}

export interface ReadingRow {
  meter_id: number;
  period: string;
  value_litres: number;
  read_on: string;
  source: string;
  kind: 'normal' | 'rollover' | 'replacement';
}

export function createReadingsRepo(db: Db) {
  const account = db.prepare<[number], { id: number; residents: number; kind: string }>('SELECT id, residents, kind FROM accounts WHERE id = ?');
  const meters = db.prepare<[number], MeterRow>(
    'SELECT id, serial, place, installed_on, verified_on, next_verification_on, int_digits, frac_digits FROM meters WHERE account_id = ? AND removed_on IS NULL ORDER BY id',
  );
  // The last 8 readings per meter are enough for "previous" and a 6-month average.
  const recent = db.prepare<[number], ReadingRow>(
    'SELECT meter_id, period, value_litres, read_on, source, kind FROM readings WHERE meter_id = ? ORDER BY read_on DESC, id DESC LIMIT 8',
  );
  const currentVersion = db.prepare<[number, string], number>('SELECT version FROM readings WHERE meter_id = ? AND period = ? ORDER BY id DESC LIMIT 1').pluck();
  const norm = db.prepare<[string, string], number>(
    'SELECT litres_per_resident_month FROM norms WHERE service = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1',
  ).pluck();
  return {
    account: (id: number) => account.get(id),
    meters: (accountId: number) => meters.all(accountId),
    recentReadings: (meterId: number) => recent.all(meterId),
    waterNorm: (onDate: string) => norm.get('water', onDate) ?? null,
    /** The version of the period's reading this desk holds from the service (null: none): what the operator saw. */
    currentVersion: (meterId: number, period: string) => currentVersion.get(meterId, period) ?? null,
  };
}
