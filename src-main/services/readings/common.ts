// What the readings services share: a meter's reading format, and the refusal of readings that were not saved.
import { AppError, type FieldIssue } from '../../../src-shared/errors';
import type { MeterFormat } from '../../../src-shared/readings/format';
import type { MeterRow } from '../../store/repos/readings';

export function formatOf(meter: MeterRow): MeterFormat {
  return { intDigits: meter.int_digits, fracDigits: meter.frac_digits };
}

export function invalid(fields: FieldIssue[], extra: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION', 'The readings were not saved', { fields, ...extra });
}
