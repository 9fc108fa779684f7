// accounts.history: the account card's «История» from the local store, in one call: each meter's
// monthly reading and consumption (counted as the breakdown counts it: the month's current accepted
// reading against the one before it), the consumption the readings check expected each month (the
// same 6-month average, else the norm's share) and the norm, charges, recalculations, payments and
// balances by month, and the payments with their receipt numbers. Integer litres and tiyn throughout.
import { addMonths, almatyDate, firstDay, lastDay, periodOf } from '../../src-shared/domain/period';
import { AppError } from '../../src-shared/errors';
import { consumptionOf, type ReadingKind } from '../../src-shared/readings/checks';
import type { AccountHistory, HistoryMeter, HistoryMonth, HistoryPoint } from '../../src-shared/schemas/history';
import { argsOf, createOutboxRepo } from '../store/repos/outbox';
import type { ServiceContext } from './context';
import { averageMonthly } from './readings/values';

interface MeterRow {
  id: number;
  serial: string;
  place: string;
  installed_on: string;
  removed_on: string | null;
  int_digits: number;
  frac_digits: number;
  install_litres: number;
}
interface ReadingRow {
  meter_id: number;
  period: string;
  value_litres: number;
  read_on: string;
  source: string;
  kind: ReadingKind;
}

export function createHistoryService(ctx: ServiceContext) {
  const db = ctx.db;
  const outbox = createOutboxRepo(db);
  const account = db.prepare<[number], { id: number; residents: number }>(
    'SELECT id, residents FROM accounts WHERE id = ?',
  );
  // Meters in service at some time during the months shown (installed before their end, not removed before their start).
  const meters = db.prepare<[number, string, string], MeterRow>(
    `SELECT id, serial, place, installed_on, removed_on, int_digits, frac_digits, install_litres FROM meters
      WHERE account_id = ? AND installed_on <= ? AND (removed_on IS NULL OR removed_on >= ?) ORDER BY id`,
  );
  // Billed readings only: current (not superseded) and accepted, as statements read them; oldest first.
  const readings = db.prepare<[number], ReadingRow>(
    `SELECT r.meter_id, r.period, r.value_litres, r.read_on, r.source, r.kind FROM readings r JOIN meters m ON m.id = r.meter_id
      WHERE m.account_id = ? AND r.superseded_by IS NULL AND r.status = 'accepted' ORDER BY r.meter_id, r.period, r.read_on, r.id`,
  );
  const charges = db.prepare<[number, string], { period: string; amount: number; water: number | null; bases: string }>(
    `SELECT period, sum(amount_tiyn) AS amount, sum(CASE WHEN service = 'water' THEN volume_litres END) AS water,
            group_concat(DISTINCT CASE WHEN service = 'water' THEN basis END) AS bases
       FROM charges WHERE account_id = ? AND period >= ? GROUP BY period`,
  );
  const recalculations = db.prepare<[number, string], { period: string; amount: number }>(
    'SELECT period, sum(amount_tiyn) AS amount FROM recalculations WHERE account_id = ? AND period >= ? GROUP BY period',
  );
  const paidByPeriod = db.prepare<[number, string], { period: string; amount: number }>(
    'SELECT period, sum(amount_tiyn) AS amount FROM payments WHERE account_id = ? AND period >= ? GROUP BY period',
  );
  const balances = db.prepare<[number, string], { period: string; opening_tiyn: number; closing_tiyn: number }>(
    'SELECT period, opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? AND period >= ?',
  );
  const payments = db.prepare<
    [number, string],
    { id: number; paid_on: string; period: string; amount_tiyn: number; channel: string }
  >(
    'SELECT id, paid_on, period, amount_tiyn, channel FROM payments WHERE account_id = ? AND period >= ? ORDER BY paid_on DESC, id DESC',
  );
  const waterNorm = db
    .prepare<[string], number>(
      "SELECT litres_per_resident_month FROM norms WHERE service = 'water' AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
    )
    .pluck();

  function history(accountId: number, months: number): AccountHistory {
    const row = account.get(accountId);
    if (!row) throw new AppError('NOT_FOUND', 'No such account', { accountId });
    const today = almatyDate(ctx.now());
    const current = periodOf(today);
    const first = addMonths(current, -(months - 1));
    const periods = Array.from({ length: months }, (_, i) => addMonths(first, i));
    // The norm on the month's last day (for the current month: today, as the readings check takes it).
    const normOf = (period: string) => waterNorm.get(period === current ? today : lastDay(period)) ?? null;
    const norms = new Map(periods.map((p) => [p, normOf(p)]));

    const shown = meters.all(accountId, lastDay(current), firstDay(first));
    const all = readings.all(accountId);
    // This desk's readings of the current month not yet accepted (the latest per meter): shown as pending.
    const local = new Map<number, { litres: number; readOn: string; kind: ReadingKind; source: string }>();
    for (const change of outbox.openForAccount(accountId, 'readings.submit')) {
      if (change.state === 'rejected') continue;
      const args = argsOf('readings.submit', change);
      if (args.period === current)
        local.set(args.meterId, {
          litres: args.valueLitres,
          readOn: args.readOn,
          kind: args.kind,
          source: args.source ?? 'operator',
        });
    }
    const inService = (meter: MeterRow, period: string) =>
      meter.installed_on <= lastDay(period) && (meter.removed_on === null || meter.removed_on >= firstDay(period));
    const metersIn = (period: string) =>
      (period === current ? shown.filter((m) => m.removed_on === null) : shown.filter((m) => inService(m, period)))
        .length;

    const historyMeters: HistoryMeter[] = shown.map((meter) => {
      const format = { intDigits: meter.int_digits, fracDigits: meter.frac_digits };
      // One reading per month: the month's last (what the breakdown bills), oldest month first.
      const byPeriod = new Map<string, ReadingRow>();
      for (const r of all) if (r.meter_id === meter.id) byPeriod.set(r.period, r);
      const series = [...byPeriod.values()];
      const points = periods.map((period): HistoryPoint => {
        const newestFirstBefore = series.filter((r) => r.period < period).reverse();
        const previous = newestFirstBefore[0] ?? null;
        const average = averageMonthly(newestFirstBefore, format, period, meter.install_litres);
        const norm = norms.get(period) ?? null;
        const count = metersIn(period);
        const expected = !inService(meter, period)
          ? null
          : (average?.litres ?? (norm === null || count === 0 ? null : Math.round((norm * row.residents) / count)));
        const pending = period === current ? local.get(meter.id) : undefined;
        const reading = pending
          ? {
              litres: pending.litres,
              readOn: pending.readOn,
              source: pending.source,
              kind: pending.kind,
              state: 'pending' as const,
            }
          : byPeriod.has(period)
            ? (({ value_litres, read_on, source, kind }) => ({
                litres: value_litres,
                readOn: read_on,
                source,
                kind,
                state: 'applied' as const,
              }))(byPeriod.get(period)!)
            : null;
        return {
          period,
          litres: reading?.litres ?? null,
          readOn: reading?.readOn ?? null,
          source: reading?.source ?? null,
          kind: reading?.kind ?? null,
          consumptionLitres: reading
            ? consumptionOf(previous?.value_litres ?? null, reading.litres, reading.kind, format, meter.install_litres)
            : null,
          state: reading?.state ?? null,
          expectedLitres: expected,
        };
      });
      return {
        meterId: meter.id,
        serial: meter.serial,
        place: meter.place,
        removedOn: meter.removed_on,
        format,
        points,
      };
    });

    const byPeriod = <T extends { period: string }>(rows: T[]) => new Map(rows.map((r) => [r.period, r]));
    const charged = byPeriod(charges.all(accountId, first));
    const recalculated = byPeriod(recalculations.all(accountId, first));
    const paid = byPeriod(paidByPeriod.all(accountId, first));
    const balance = byPeriod(balances.all(accountId, first));
    const sumOf = (values: (number | null)[]) =>
      values.some((v) => v !== null) ? values.reduce<number>((s, v) => s + (v ?? 0), 0) : null;
    const historyMonths = periods.map((period, i): HistoryMonth => {
      const charge = charged.get(period);
      const bases = charge?.bases ? charge.bases.split(',') : [];
      const norm = norms.get(period) ?? null;
      return {
        period,
        consumptionLitres: sumOf(historyMeters.map((m) => m.points[i]!.consumptionLitres)),
        expectedLitres: sumOf(historyMeters.map((m) => m.points[i]!.expectedLitres)),
        normLitres: norm === null ? null : norm * row.residents,
        billedLitres: charge?.water ?? null,
        basis: bases.length === 0 ? null : bases.length > 1 ? 'mixed' : (bases[0] as 'meter' | 'norm'),
        openingTiyn: balance.get(period)?.opening_tiyn ?? null,
        chargedTiyn: charge?.amount ?? 0,
        recalculatedTiyn: recalculated.get(period)?.amount ?? 0,
        paidTiyn: paid.get(period)?.amount ?? 0,
        closingTiyn: balance.get(period)?.closing_tiyn ?? null,
      };
    });

    return {
      accountId,
      periods,
      residents: row.residents,
      meters: historyMeters,
      months: historyMonths,
      payments: payments.all(accountId, first).map((p) => ({
        receipt: p.id,
        paidOn: p.paid_on,
        period: p.period,
        amountTiyn: p.amount_tiyn,
        channel: p.channel,
      })),
    };
  }

  return { history };
}
