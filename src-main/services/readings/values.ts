// What readings.list and the history are built from: a replicated reading or one of this desk's
// outbox changes as a ReadingValue, a meter's verification state, and the average monthly consumption
// the checks expect (also the card's history and the round import's).
import { addDays, addMonths, type IsoDate } from '../../../src-shared/domain/period';
import { consumptionOf } from '../../../src-shared/readings/checks';
import type { MeterFormat } from '../../../src-shared/readings/format';
import type { MeterReadings, ReadingValue } from '../../../src-shared/schemas/readings';
import { argsOf, type OutboxRow } from '../../store/repos/outbox';
import type { MeterRow, ReadingRow } from '../../store/repos/readings';

const DUE_SOON_DAYS = 30;
const AVERAGE_MONTHS = 6;

export function verificationOf(meter: MeterRow, today: IsoDate): MeterReadings['verification'] {
  if (meter.next_verification_on < today) return 'overdue';
  if (meter.next_verification_on <= addDays(today, DUE_SOON_DAYS)) return 'dueSoon';
  return 'ok';
}

export function fromReplicated(row: ReadingRow): ReadingValue {
  return {
    litres: row.value_litres,
    readOn: row.read_on,
    period: row.period,
    source: row.source,
    kind: row.kind,
    state: 'applied',
    seq: null,
    error: null,
    rejection: null,
    status: row.status,
    readingId: row.id,
    review: row.reviewed_at ? { by: row.reviewer_name, at: row.reviewed_at, note: row.review_note ?? '' } : null,
  };
}

export function fromOutbox(row: OutboxRow): ReadingValue & { meterId: number } {
  const args = argsOf('readings.submit', row);
  return {
    meterId: args.meterId,
    litres: args.valueLitres,
    readOn: args.readOn,
    period: args.period,
    source: args.source ?? 'operator', // rows stored before the field: the operator's
    kind: args.kind,
    state: row.state === 'sent' ? 'sent' : row.state === 'rejected' ? 'rejected' : 'pending',
    seq: row.seq,
    error: row.error_message,
    rejection:
      row.state === 'rejected'
        ? {
            code: row.error_code,
            details: row.error_details ? (JSON.parse(row.error_details) as Record<string, unknown>) : null,
          }
        : null,
    status: args.held ? 'held' : 'accepted',
    readingId: null,
    review: null,
  };
}

/**
 * Average monthly consumption over the recent months of replicated history (newest first), and over
 * how many months: what the readings check expects (also drawn month by month on the card's history).
 */
export function averageMonthly(
  rows: Pick<ReadingRow, 'period' | 'value_litres' | 'kind'>[],
  format: MeterFormat,
  beforePeriod: string,
  installLitres: number,
): { litres: number; months: number } | null {
  const history = rows.filter(
    (r) => r.period < beforePeriod && r.period >= addMonths(beforePeriod, -AVERAGE_MONTHS - 1),
  );
  if (history.length < 2) return null;
  let total = 0;
  for (let i = 0; i < history.length - 1; i++) {
    const newer = history[i]!;
    const older = history[i + 1]!;
    total += consumptionOf(older.value_litres, newer.value_litres, newer.kind, format, installLitres) ?? 0;
  }
  const months = Math.max(1, monthsBetween(history[history.length - 1]!.period, history[0]!.period));
  return { litres: Math.round(total / months), months };
}

function monthsBetween(a: string, b: string): number {
  const [ay, am] = a.split('-').map(Number) as [number, number];
  const [by, bm] = b.split('-').map(Number) as [number, number];
  return (by - ay) * 12 + (bm - am);
}
