// How a sync run recovers when this desk and the service disagree about what the service holds (see
// engine.ts for when): a new identity for a restored or copied data folder, the acknowledged changes a
// restored service lost sent again, and a full pull of the office. Each is written to the audit trail
// (`sync.identityRenewed`, `sync.serviceRestored`; the full pull's `sync.resync` when it ends). A run
// recovers at most a few times: more would be a loop between two bugs, not progress.
import { AppError } from '../../../src-shared/errors';
import type { Db } from '../../store/db';
import type { createSyncStateRepo } from '../../store/repos/sync-state';
import type { CentralClient, CentralTarget } from '../central-client';
import type { Identity, RenewalReason } from './identity';

/** Identity renewals or resends in one run before it gives up (a loop would mean a bug, not progress). */
const MAX_RECOVERIES = 4;

/** A sync event for the audit trail (what «Отправка» shows a supervisor). */
export type SyncEventWriter = (operation: string, details: Record<string, unknown>) => void;

export function createRecovery(
  db: Db,
  syncState: ReturnType<typeof createSyncStateRepo>,
  client: CentralClient,
  identity: Identity,
  event: SyncEventWriter,
) {
  // What a restored service lost: acknowledged rows of this identity are sent again (decided ones, rejected
  // or dismissed, are not); a row older than the retention period is gone and is counted as lost.
  const resendFrom = db.prepare<[string, number, number]>(
    "UPDATE outbox SET state = 'pending', acked_at = NULL, settled_at = NULL WHERE client_id = ? AND seq > ? AND seq <= ? AND state IN ('sent', 'applied') AND acked_at IS NOT NULL",
  );
  const heldBetween = db
    .prepare<[number, number], number>('SELECT count(*) FROM outbox WHERE seq > ? AND seq <= ?')
    .pluck();
  const resendAllOf = db.prepare<[string]>(
    "UPDATE outbox SET state = 'pending', acked_at = NULL, settled_at = NULL WHERE client_id = ? AND state IN ('sent', 'applied') AND acked_at IS NOT NULL",
  );

  let recoveries = 0;
  let renewAfterUpload = false;

  function another() {
    if (++recoveries > MAX_RECOVERIES)
      throw new AppError('CONFLICT', 'Sync could not agree with the service on this desk', {
        reason: 'sync.recoveryLoop',
      });
  }

  /** From the next pull on, the whole office again; rows it does not bring are purged at its end. */
  function startResync(reason: string) {
    if (syncState.get('resyncGen') === null) syncState.set('resyncGen', syncState.number('gen') + 1);
    syncState.set('resyncReason', reason);
    syncState.set('cursor', 0);
  }

  return {
    /** A new run: its own count of recoveries. */
    beginRun() {
      recoveries = 0;
    },

    startResync,

    /** A new identity from `firstSeq` on (the outbox rows from there move to it and are sent again). */
    async renew(target: CentralTarget, firstSeq: number, reason: RenewalReason) {
      another();
      const previousClientId = identity.clientId();
      const clientId = await identity.register(client, target, firstSeq, reason);
      renewAfterUpload = false;
      event('sync.identityRenewed', { reason, previousClientId, clientId, firstSeq });
    },

    /** The service acknowledged more than it holds: its database was restored. */
    serviceLost(lastSeq: number) {
      another();
      const acked = identity.ackedThrough();
      const resent = resendFrom.run(identity.clientId() ?? '', lastSeq, acked).changes;
      const lost = Math.max(0, acked - lastSeq - heldBetween.get(lastSeq, acked)!);
      identity.setAckedThrough(lastSeq);
      startResync('serviceRestored');
      event('sync.serviceRestored', { lastSeq, acknowledgedThrough: acked, resent, lost });
    },

    /** Everything this identity had acknowledged goes again (the service does not know the desk). */
    resendAcknowledged() {
      resendAllOf.run(identity.clientId() ?? '');
    },

    /**
     * After hello: the service holds more from this identity than this desk ever made, so its data
     * folder is older than the service's record of it (restored) or another PC has the same one
     * (copied). The run renews the identity once its uploads are done (`renewalDue`).
     */
    noteHeld(lastSeq: number | null, auditThrough: number) {
      renewAfterUpload = (lastSeq ?? 0) > identity.highestSeq() || auditThrough > identity.highestAuditId();
    },

    renewalDue: () => renewAfterUpload,
  };
}

export type Recovery = ReturnType<typeof createRecovery>;
