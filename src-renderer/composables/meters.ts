// A meter's own data beside the readings form: its history as the service keeps it, and its
// replacement (a mutation like any other: saved here, sent by sync).
import type { OperationInput, OperationOutput } from '../../src-shared/contract';
import { call } from '../api/client';

export function useMeters() {
  /** Every version of the meter's readings, corrections included. */
  const history = (accountId: number, meterId: number): Promise<OperationOutput<'readings.history'>> =>
    call('readings.history', { accountId, meterId });
  /** The meter replaced by a new one (its final reading, the new serial, digits and installation reading). */
  const replace = (input: OperationInput<'meters.replace'>): Promise<OperationOutput<'meters.replace'>> =>
    call('meters.replace', input);
  return { history, replace };
}
