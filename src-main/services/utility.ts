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
import { requestAsOperator, type CentralClient } from './central-client';
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
    let state: RequisitesState;
    try {
      state = requisitesStateSchema.parse(
        await requestAsOperator(client, session.centralSession(call.client), '/v1/utility', {
          body: requisites,
          timeoutMs: 20_000,
          reasons: { notConfigured: 'utility.notConfigured', offline: 'utility.offline' },
        }),
      );
    } catch (error) {
      const e = AppError.from(error);
      // Not configured or signed in without the connection: refused before anything was asked.
      const reason = (e.details as { reason?: string } | undefined)?.reason;
      if (reason === 'utility.notConfigured' || reason === 'session.onlineRequired') throw e;
      audit.record({
        at: ctx.now().toISOString(),
        operatorId: call.operatorId,
        accountId: null,
        operation: 'utility.set',
        result: e.code === 'FORBIDDEN' ? 'denied' : 'failed',
        details: { reason: reason ?? e.code },
      });
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
