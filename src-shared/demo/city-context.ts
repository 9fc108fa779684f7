// What every stage of the demo city draws from and writes to: the one seeded random stream (its draws,
// in their order, are the city: city.ts calls the stages in that order), the row sink, the id counters,
// and the calendar of the run.
import type { IsoDate, Period } from '../domain/period';
import type { Rng } from './prng';
import type { DemoRow, DemoTable } from './tables';

export type Service = 'water' | 'sewer';
export type CustomerKind = 'individual' | 'legal';

export interface CityContext {
  rng: Rng;
  /** Which legal entities are VAT payers: a stream of its own, so the flag does not shift the city's draws. */
  vatRng: Rng;
  emit: <T extends DemoTable>(table: T, row: DemoRow<T>) => void;
  /** the next id of a table */
  next: (table: DemoTable) => number;
  today: IsoDate;
  current: Period;
  /** the complete months before today's period, oldest first */
  history: Period[];
  months: number;
  todayDay: number;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
