// What a round file's rows are checked against, loaded for the whole file in a few set-based queries
// (a 10 000-row file brings some 80 000 reading rows): its accounts and meters, each meter's recent
// readings (the months the average looks at, and this month's), this desk's readings of the month not
// yet accepted, and the water norm.
import { addMonths } from '../../../src-shared/domain/period';
import type { ReadingKind } from '../../../src-shared/readings/checks';
import type { MeterFormat } from '../../../src-shared/readings/format';
import type { Db } from '../../store/db';
import { argsOf, createOutboxRepo } from '../../store/repos/outbox';
import { accountKey, type RoundRow } from './file';

export interface MeterFacts {
  id: number;
  accountId: number;
  serial: string;
  format: MeterFormat;
  installLitres: number;
  removedOn: string | null;
  overdue: boolean;
}
export interface AccountFacts {
  id: number;
  number: string;
  closedOn: string | null;
  residents: number;
  activeMeters: number;
}
export interface ReadingFacts {
  period: string;
  value_litres: number;
  read_on: string;
  kind: ReadingKind;
  status: string;
}

export function createRoundFacts(db: Db) {
  const outbox = createOutboxRepo(db);
  const accountsByNumber = db.prepare<
    [string],
    { id: number; number: string; closed_on: string | null; residents: number }
  >('SELECT id, number, closed_on, residents FROM accounts WHERE number IN (SELECT value FROM json_each(?))');
  const accountsById = db.prepare<
    [string],
    { id: number; number: string; closed_on: string | null; residents: number }
  >('SELECT id, number, closed_on, residents FROM accounts WHERE id IN (SELECT value FROM json_each(?))');
  const metersOf = db.prepare<
    [string, string],
    {
      id: number;
      account_id: number;
      serial: string;
      int_digits: number;
      frac_digits: number;
      install_litres: number;
      removed_on: string | null;
      next_verification_on: string;
    }
  >(
    `SELECT id, account_id, serial, int_digits, frac_digits, install_litres, removed_on, next_verification_on FROM meters
      WHERE serial IN (SELECT value FROM json_each(?)) OR account_id IN (SELECT a.id FROM accounts a WHERE a.number IN (SELECT value FROM json_each(?)))`,
  );
  const activeCounts = db.prepare<[string], { account_id: number; n: number }>(
    'SELECT account_id, count(*) AS n FROM meters WHERE removed_on IS NULL AND account_id IN (SELECT value FROM json_each(?)) GROUP BY account_id',
  );
  // Current rows of the months the average looks at, and this month's, of the file's meters; newest
  // first; as arrays (a 10 000-row file brings some 80 000 of them).
  const recentReadings = db
    .prepare<[string, string], [number, string, number, string, ReadingKind, string]>(
      `SELECT meter_id, period, value_litres, read_on, kind, status FROM readings
        WHERE meter_id IN (SELECT value FROM json_each(?)) AND period >= ? AND superseded_by IS NULL AND status <> 'refused'
        ORDER BY meter_id, read_on DESC, id DESC`,
    )
    .raw();
  const previousBefore = db.prepare<[number, string], { value_litres: number; read_on: string }>(
    "SELECT value_litres, read_on FROM readings WHERE meter_id = ? AND period < ? AND superseded_by IS NULL AND status = 'accepted' ORDER BY period DESC, read_on DESC, id DESC LIMIT 1",
  );
  const waterNorm = db
    .prepare<[string], number>(
      "SELECT litres_per_resident_month FROM norms WHERE service = 'water' AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
    )
    .pluck();

  function load(rows: RoundRow[], today: string, period: string) {
    // Everything the rows need, in a few queries.
    const numbers = [...new Set(rows.map((r) => accountKey(r.raw.account)).filter(Boolean))];
    const serials = [...new Set(rows.map((r) => r.raw.serial).filter(Boolean))];
    const meterRows = metersOf.all(JSON.stringify(serials), JSON.stringify(numbers));
    const meterAccounts = [...new Set(meterRows.map((m) => m.account_id))];
    const accounts = new Map<number, AccountFacts>();
    const byNumber = new Map<string, AccountFacts>();
    const counts = new Map(activeCounts.all(JSON.stringify(meterAccounts)).map((r) => [r.account_id, r.n]));
    for (const a of [
      ...accountsByNumber.all(JSON.stringify(numbers)),
      ...accountsById.all(JSON.stringify(meterAccounts)),
    ]) {
      const facts = {
        id: a.id,
        number: a.number,
        closedOn: a.closed_on,
        residents: a.residents,
        activeMeters: counts.get(a.id) ?? 0,
      };
      accounts.set(a.id, facts);
      byNumber.set(a.number, facts);
    }
    const meters = new Map<number, MeterFacts>();
    const bySerial = new Map<string, MeterFacts[]>();
    const byAccount = new Map<number, MeterFacts[]>();
    for (const m of meterRows) {
      const facts = {
        id: m.id,
        accountId: m.account_id,
        serial: m.serial,
        format: { intDigits: m.int_digits, fracDigits: m.frac_digits },
        installLitres: m.install_litres,
        removedOn: m.removed_on,
        overdue: m.next_verification_on < today,
      };
      meters.set(m.id, facts);
      bySerial.set(m.serial, [...(bySerial.get(m.serial) ?? []), facts]);
      byAccount.set(m.account_id, [...(byAccount.get(m.account_id) ?? []), facts]);
    }
    const history = new Map<number, ReadingFacts[]>();
    // The average is over the 6 months before this one (averageMonthly); an older previous reading is looked up alone.
    for (const [meterId, p, litres, readOn, kind, status] of recentReadings.all(
      JSON.stringify([...meters.keys()]),
      addMonths(period, -7),
    )) {
      let list = history.get(meterId);
      if (!list) history.set(meterId, (list = []));
      list.push({ period: p, value_litres: litres, read_on: readOn, kind, status });
    }
    // This desk's readings of the month not yet accepted: the meter is read already.
    const pendingHere = new Map<number, number>();
    for (const row of outbox.open('readings.submit')) {
      const args = argsOf('readings.submit', row);
      if (args.period === period) pendingHere.set(args.meterId, args.valueLitres);
    }
    const norm = waterNorm.get(today) ?? null;
    return { accounts, byNumber, bySerial, byAccount, history, pendingHere, norm };
  }
  /** The meter's reading before `period` when the recent months hold none. */
  const previous = (meterId: number, period: string) => previousBefore.get(meterId, period);
  return { load, previous };
}
