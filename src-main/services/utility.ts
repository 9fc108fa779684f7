// The utility's requisites at the desk (src-shared/schemas/utility.ts). They are the central
// service's: the desk prints the row the service replicates (table `utility`), and an administrator
// changes them with utility.set, which goes to the service at once (never queued: a changed IIK must
// not wait in one desk's outbox while the mailing and the other desks print the old one) and is
// refused offline with the reason. The answer is written to the local row too, so the next PDF here
// prints it before the next pull brings the same row. A desk that has never received the row prints
// its own settings (settings.utility) as before.
import type Database from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import { settingsDefaults } from '../../src-shared/schemas/settings';
import {
  defaultRequisites,
  parseRequisites,
  requisitesFromUtility,
  requisitesStateSchema,
  type Requisites,
  type RequisitesState,
} from '../../src-shared/schemas/utility';
import { createAuditRepo } from '../store/repos/audit';
import type { CentralClient } from './central-client';
import type { CallContext, ServiceContext } from './context';
import type { SessionService } from './session';
import type { createSettingsService } from './settings';

/** The requisites this desk prints: the replicated row, else its own settings. */
export function createRequisitesReader(
  db: Database.Database,
  settings: Pick<ReturnType<typeof createSettingsService>, 'get'>,
) {
  const row = db.prepare<[], { requisites: string; updated_at: string | null }>(
    'SELECT requisites, updated_at FROM utility WHERE id = 1',
  );
  return (): RequisitesState & { source: 'service' | 'desk' } => {
    const found = row.get();
    let stored: Requisites | null = null;
    try {
      stored = found ? parseRequisites(JSON.parse(found.requisites)) : null;
    } catch {
      stored = null;
    }
    if (stored) return { requisites: stored, updatedAt: found!.updated_at, source: 'service' };
    // Settings never edited print the built-in requisites, as the service does until they are set.
    const own = settings.get().settings.utility;
    const builtIn = (Object.keys(settingsDefaults.utility) as (keyof typeof own)[]).every(
      (key) => own[key] === settingsDefaults.utility[key],
    );
    return { requisites: builtIn ? defaultRequisites : requisitesFromUtility(own), updatedAt: null, source: 'desk' };
  };
}

export function createUtilityService(
  ctx: ServiceContext,
  client: CentralClient,
  session: Pick<SessionService, 'centralSession'>,
  read: ReturnType<typeof createRequisitesReader>,
) {
  const audit = createAuditRepo(ctx.db);
  const store = ctx.db.prepare(
    'INSERT INTO utility (id, requisites, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET requisites = excluded.requisites, updated_at = excluded.updated_at',
  );

  async function set(requisites: Requisites, call: CallContext) {
    const target = client.target();
    if (!target)
      throw new AppError('UNAVAILABLE', 'No central service is configured', { reason: 'utility.notConfigured' });
    const token = session.centralSession(call.client);
    if (!token)
      throw new AppError('UNAUTHORIZED', 'Signed in without the connection', { reason: 'session.onlineRequired' });
    let state: RequisitesState;
    try {
      state = requisitesStateSchema.parse(
        await client.request(target, '/v1/utility', {
          method: 'POST',
          body: requisites,
          headers: { 'X-Operator-Session': token },
          timeoutMs: 20_000,
        }),
      );
    } catch (error) {
      const e = AppError.from(error);
      audit.record({
        at: ctx.now().toISOString(),
        operatorId: call.operatorId,
        accountId: null,
        operation: 'utility.set',
        result: e.code === 'FORBIDDEN' ? 'denied' : 'failed',
        details: { reason: (e.details as { reason?: string } | undefined)?.reason ?? e.code },
      });
      if (e.code === 'UNAVAILABLE') throw new AppError('UNAVAILABLE', e.message, { reason: 'utility.offline' });
      throw e;
    }
    store.run(JSON.stringify(state.requisites), state.updatedAt);
    audit.record({
      at: ctx.now().toISOString(),
      operatorId: call.operatorId,
      accountId: null,
      operation: 'utility.set',
      result: 'ok',
      details: { bin: state.requisites.bin, iban: state.requisites.iban },
    });
    return read();
  }

  return { get: () => read(), set };
}
