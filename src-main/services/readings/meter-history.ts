// readings.history: every reading of a meter the service keeps (a correction never overwrites; the
// superseded ones are marked), newest first, with this desk's changes not yet accepted on top.
import { AppError } from '../../../src-shared/errors';
import type { ReadingHistoryEntry } from '../../../src-shared/schemas/readings';
import type { Db } from '../../store/db';
import { createOutboxRepo } from '../../store/repos/outbox';
import { createReadingsRepo } from '../../store/repos/readings';
import { clientIdOf } from '../../store/repos/sync-state';
import { formatOf } from './common';
import { fromOutbox } from './values';

export function createMeterHistory(db: Db) {
  const repo = createReadingsRepo(db);
  const outbox = createOutboxRepo(db);
  function history(accountId: number, meterId: number) {
    const meter = repo.meters(accountId).find((m) => m.id === meterId) ?? repo.meterOf(accountId, meterId);
    if (!meter) throw new AppError('NOT_FOUND', 'The meter does not belong to this account', { meterId });
    const me = clientIdOf(db);
    const local = outbox
      .openForAccount(accountId, 'readings.submit')
      .map(fromOutbox)
      .filter((r) => r.meterId === meterId)
      .reverse()
      .map((r): ReadingHistoryEntry => ({
        litres: r.litres,
        readOn: r.readOn,
        period: r.period,
        kind: r.kind,
        source: r.source,
        operator: null,
        reasons: null,
        desk: 'this',
        enteredAt: null,
        superseded: false,
        state: r.state,
        status: r.status,
        review: null,
      }));
    const kept = repo.history(meterId).map((r): ReadingHistoryEntry => ({
      litres: r.value_litres,
      readOn: r.read_on,
      period: r.period,
      kind: r.kind,
      source: r.source,
      operator: r.operator_name,
      reasons: r.reasons ? (JSON.parse(r.reasons) as Record<string, string>) : null,
      desk: r.client_id === null ? null : r.client_id === me ? 'this' : 'other',
      enteredAt: r.entered_at,
      superseded: r.superseded_by !== null,
      state: 'applied',
      status: r.status,
      review: r.reviewed_at ? { by: r.reviewer_name, at: r.reviewed_at, note: r.review_note ?? '' } : null,
    }));
    return { meterId, serial: meter.serial, format: formatOf(meter), entries: [...local, ...kept] };
  }

  return history;
}
