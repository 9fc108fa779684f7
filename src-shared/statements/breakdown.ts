// Builds the charges breakdown of one account and month from its stored rows: per service lines
// (split where the tariff changed), recalculations, payments, balances and the readings behind
// the volume. Pure and integer-only, so the desktop and the central service agree to the tiyn.
import { addDays, firstDay, lastDay, type IsoDate, type Period } from '../domain/period';
import { vatByRate } from '../domain/vat';
import { consumptionOf } from '../readings/checks';
import type {
  Breakdown,
  BreakdownLine,
  BreakdownService,
  MeterReadingLine,
  Service,
  StatementParties,
} from '../schemas/statements';
import { services } from '../schemas/statements';
import { allocateProportionally } from './allocate';

export interface ChargeRow {
  service: Service;
  basis: 'meter' | 'norm';
  days: number;
  volumeLitres: number;
  priceTiynPerM3: number;
  amountTiyn: number;
  /** the tariff's start: orders split lines within the month */
  tariffValidFrom: IsoDate;
}

export interface RecalculationRow {
  service: Service;
  amountTiyn: number;
  reason: string;
  postedOn: IsoDate;
}

export interface PaymentRow {
  paidOn: IsoDate;
  amountTiyn: number;
  channel: string;
}

export interface MeterRow {
  meterId: number;
  serial: string;
  place: string;
  intDigits: number;
  fracDigits: number;
  /** the meter's reading at installation (its first reading counts from it) */
  installLitres?: number;
  /** the last reading before the period */
  previous: { litres: number; readOn: IsoDate } | null;
  /** the period's reading (its latest correction) */
  current: { litres: number; readOn: IsoDate; kind: 'normal' | 'rollover' | 'replacement' } | null;
}

export interface BreakdownRows {
  parties: StatementParties;
  period: Period;
  /** the stored balance of the period; null while the period is not closed yet */
  balance: { openingTiyn: number; closingTiyn: number } | null;
  /** the closing balance of the month before, used when `balance` is null (0 for a new account) */
  previousClosingTiyn: number | null;
  charges: ChargeRow[];
  recalculations: RecalculationRow[];
  payments: PaymentRow[];
  meters: MeterRow[];
  /** litres per resident per month of water in force at the period's start, if any */
  waterNormLitres: number | null;
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item);
  return total;
}

/** Split lines in tariff order, each given its own days of the month, back to back from the 1st. */
function linesOf(charges: ChargeRow[], period: Period): BreakdownLine[] {
  const ordered = [...charges].sort((a, b) =>
    a.tariffValidFrom < b.tariffValidFrom ? -1 : a.tariffValidFrom > b.tariffValidFrom ? 1 : 0,
  );
  const end = lastDay(period);
  let cursor = firstDay(period);
  return ordered.map((charge) => {
    const from = cursor;
    const to = addDays(from, charge.days - 1);
    cursor = addDays(to, 1);
    return {
      from,
      to: to > end ? end : to,
      days: charge.days,
      basis: charge.basis,
      volumeLitres: charge.volumeLitres,
      priceTiynPerM3: charge.priceTiynPerM3,
      chargedTiyn: charge.amountTiyn,
    };
  });
}

function readingLine(meter: MeterRow): MeterReadingLine {
  const format = { intDigits: meter.intDigits, fracDigits: meter.fracDigits };
  const consumption = meter.current
    ? consumptionOf(
        meter.previous?.litres ?? null,
        meter.current.litres,
        meter.current.kind,
        format,
        meter.installLitres ?? 0,
      )
    : null;
  return {
    meterId: meter.meterId,
    serial: meter.serial,
    place: meter.place,
    intDigits: meter.intDigits,
    fracDigits: meter.fracDigits,
    previous: meter.previous,
    current: meter.current,
    consumptionLitres: consumption,
  };
}

export function buildBreakdown(rows: BreakdownRows): Breakdown {
  const perService = services.map((service) => {
    const charges = rows.charges.filter((c) => c.service === service);
    const lines = linesOf(charges, rows.period);
    return {
      service,
      lines,
      volumeLitres: sum(lines, (l) => l.volumeLitres),
      chargedTiyn: sum(lines, (l) => l.chargedTiyn),
      recalculationTiyn: sum(
        rows.recalculations.filter((r) => r.service === service),
        (r) => r.amountTiyn,
      ),
    };
  });
  const paidTiyn = sum(rows.payments, (p) => p.amountTiyn);
  const paidShares = allocateProportionally(
    paidTiyn,
    perService.map((s) => s.chargedTiyn + s.recalculationTiyn),
  );
  const servicesOut: BreakdownService[] = perService
    .map((s, i) => ({ ...s, unit: 'm3' as const, paidTiyn: paidShares[i]! }))
    // A service with nothing in the month (e.g. no sewerage connection) is left out of the table.
    .filter((s) => s.lines.length > 0 || s.recalculationTiyn !== 0 || s.paidTiyn !== 0);

  const chargedTiyn = sum(perService, (s) => s.chargedTiyn);
  const recalculationTiyn = sum(perService, (s) => s.recalculationTiyn);
  const openingTiyn = rows.balance?.openingTiyn ?? rows.previousClosingTiyn ?? 0;
  const expectedClosing = openingTiyn + chargedTiyn + recalculationTiyn - paidTiyn;
  const closingTiyn = rows.balance?.closingTiyn ?? expectedClosing;

  const normLines = rows.charges.filter((c) => c.basis === 'norm' && c.service === 'water');
  const norm =
    normLines.length > 0
      ? {
          residents: rows.parties.account.residents,
          litresPerResident: rows.waterNormLitres ?? 0,
          volumeLitres: sum(normLines, (c) => c.volumeLitres),
        }
      : null;

  // A VAT payer's VAT per rate: each charge line on the period's last day (when it is charged) and each
  // recalculation on the day it was posted, as the act of reconciliation counts them, so both documents
  // (and both screens) show the same VAT for the same month.
  const to = lastDay(rows.period);
  const vat = rows.parties.owner.vatPayer
    ? vatByRate([
        ...servicesOut.flatMap((s) => s.lines.map((line) => ({ date: to, amountTiyn: line.chargedTiyn }))),
        ...rows.recalculations.map((r) => ({ date: r.postedOn, amountTiyn: r.amountTiyn })),
      ])
    : [];

  return {
    ...rows.parties,
    period: rows.period,
    from: firstDay(rows.period),
    to: lastDay(rows.period),
    services: servicesOut,
    readings: rows.meters.map(readingLine),
    norm,
    recalculations: [...rows.recalculations].sort((a, b) =>
      a.postedOn < b.postedOn ? -1 : a.postedOn > b.postedOn ? 1 : 0,
    ),
    payments: [...rows.payments].sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0)),
    totals: {
      openingTiyn,
      chargedTiyn,
      recalculationTiyn,
      paidTiyn,
      closingTiyn,
      toPayTiyn: Math.max(0, closingTiyn),
      discrepancyTiyn: closingTiyn - expectedClosing,
      vat,
    },
  };
}
