// This desk as the central service knows it: the client id and secret the service issued (the office
// key only registers), and the highest seq the service acknowledged. A desk whose data folder was
// restored or copied, or that the service no longer knows, is given a new identity; the outbox rows
// the service does not hold move to it and are sent again, so nothing saved is lost or acknowledged
// by an answer meant for another change.
import { createHash } from 'node:crypto';
import { registerClientOutput } from '../../../src-shared/schemas/sync';
import type { Db } from '../../store/db';
import { secretsOf } from '../../store/repos/secrets';
import { createSyncStateRepo, forgetClientId } from '../../store/repos/sync-state';
import type { CentralClient, CentralTarget } from '../central-client';

export type RenewalReason =
  'first' | 'restoredDesk' | 'copiedDesk' | 'unknownToService' | 'serviceRestored' | 'diverged';

const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');
/** What `clientKeyHash` says for a desk enrolled by a code rather than registered with an office key. */
const ENROLLED = 'enrolled';

const identities = new WeakMap<Db, Identity>();

/** The one identity of a store (the outbox stamps every change with its id; sync renews it). */
export function identityOf(db: Db): Identity {
  let identity = identities.get(db);
  if (!identity) identities.set(db, (identity = createIdentity(db)));
  return identity;
}

function createIdentity(db: Db) {
  const state = createSyncStateRepo(db);
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM outbox').pluck();
  const sequence = db.prepare<[], number | null>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").pluck();
  const firstUnacked = db
    .prepare<[], number | null>("SELECT min(seq) FROM outbox WHERE state IN ('pending', 'sent') AND acked_at IS NULL")
    .pluck();
  const moveUnacked = db.prepare<[string, number]>(
    "UPDATE outbox SET client_id = ? WHERE state IN ('pending', 'sent') AND acked_at IS NULL AND seq >= ?",
  );
  const nextAudit = db
    .prepare<[], number | null>('SELECT min(id) FROM audit_log WHERE sent_at IS NULL AND refused IS NULL')
    .pluck();
  const maxAudit = db.prepare<[], number | null>('SELECT max(id) FROM audit_log').pluck();

  let cached: { id: string | null; token: string | null } | null = null;
  const read = () => (cached ??= { id: state.get('clientId'), token: secretsOf(db).get('desk.token') });

  /** Stores an identity the service issued; the outbox rows from `firstSeq` on move to it. */
  function adopt(clientId: string, token: string, firstSeq: number, keyMark: string) {
    db.transaction(() => {
      state.set('clientId', clientId);
      secretsOf(db).set('desk.token', token);
      state.set('clientKeyHash', keyMark);
      state.set('ackedThrough', firstSeq - 1);
      state.set('auditBase', nextAudit.get() ?? (maxAudit.get() ?? 0) + 1);
      moveUnacked.run(clientId, firstSeq);
    })();
    cached = null;
    forgetClientId(db);
  }

  /** The highest seq this desk ever made (the outbox's counter survives deleted rows). */
  const highestSeq = () => Math.max(maxSeq.get() ?? 0, sequence.get() ?? 0);

  return {
    clientId: () => read().id,
    /** The desk's credentials, once issued (null: not registered with the service yet). */
    token: () => read().token,
    ackedThrough: () => state.number('ackedThrough'),
    setAckedThrough: (seq: number) => state.set('ackedThrough', seq),
    highestSeq,
    highestAuditId: () => maxAudit.get() ?? 0,
    /** The first audit id sent under the current identity (what the service may hold from it). */
    auditBase: () => state.number('auditBase', 1),
    /**
     * Registered with the service under the office key now in the settings? An enrolled desk has no
     * office key at all: its own credentials are all it has (and all it needs).
     */
    registeredFor: (target: CentralTarget) =>
      read().token !== null && (target.key === '' || state.get('clientKeyHash') === keyHash(target.key)),
    /** Enrolled by a one-time code (no office key on this desk)? */
    enrolled: () => read().token !== null && state.get('clientKeyHash') === ENROLLED,
    /** The seq the next identity starts at: the first change the service does not hold. */
    firstUnheld: () => firstUnacked.get() ?? highestSeq() + 1,

    /** Reads the identity from the store again (after something other than `register` wrote it). */
    forget() {
      cached = null;
      forgetClientId(db);
    },

    /** Registers this desk with the service under the settings' office key if it is not yet. */
    async ensure(client: CentralClient, target: CentralTarget): Promise<void> {
      if (this.registeredFor(target)) return;
      await this.register(client, target, this.firstUnheld(), 'first');
    },

    /**
     * Asks the service for an identity (the first one, or a new one for this desk with the id it had
     * before) and moves the outbox rows from `firstSeq` on to it.
     */
    async register(
      client: CentralClient,
      target: CentralTarget,
      firstSeq: number,
      reason: RenewalReason,
    ): Promise<string> {
      // The id it had before, when it was this office's (a legacy desk's own id is kept for the record too).
      // Without an office key (an enrolled desk) it renews with its own credentials: always its office.
      const sameOffice =
        target.key === '' || state.get('clientKeyHash') === null || state.get('clientKeyHash') === keyHash(target.key);
      const previous = sameOffice ? read().id : null;
      const answer = registerClientOutput.parse(
        await client.request(target, '/v1/clients', {
          method: 'POST',
          body: { firstSeq, previousClientId: previous && /^[0-9a-f-]{36}$/.test(previous) ? previous : null, reason },
          as: target.key === '' ? 'desk' : 'office',
        }),
      );
      adopt(answer.clientId, answer.token, firstSeq, target.key === '' ? ENROLLED : keyHash(target.key));
      return answer.clientId;
    },

    /** `desk.enroll`: the credentials the service issued for a one-time code become this desk's. */
    adoptEnrolment(clientId: string, token: string, firstSeq: number) {
      adopt(clientId, token, firstSeq, ENROLLED);
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
