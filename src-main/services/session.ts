// Who is working at this PC. Sign-in goes to the central service when it answers (it holds the
// passwords and says the role); the desktop then keeps an offline verifier (scrypt, never the
// password) so the same operator can sign in here when the connection is down. Five wrong passwords
// lock sign-in for a while. The screen locks after the idle time in the settings; unlocking asks
// the password again. The central service's operator session stays in memory only.
// Each client has its own session: an Electron window, a browser of the web shell (its cookie). A
// sign-in in one never changes another, and every call carries the operator of its own client only.
import { AppError } from '../../src-shared/errors';
import {
  MAX_FAILED_SIGN_INS,
  SIGN_IN_LOCK_MINUTES,
  centralSignInOutput,
  type Operator,
  type Role,
  type SessionState,
} from '../../src-shared/schemas/operators';
import { DEMO_COST, hashPassword, needsRehash, verifyPassword } from '../../src-shared/node/secrets';
import { createAuditRepo } from '../store/repos/audit';
import type { Db } from '../store/db';
import type { CentralClient } from './central-client';
import type { ServiceContext } from './context';
import type { createSettingsService } from './settings';
import type { Identity } from './sync/identity';

interface VerifierRow {
  operator_id: number;
  login: string;
  full_name: string;
  role: Role;
  verifier: string;
  failed_attempts: number;
  locked_until: string | null;
}

interface Current {
  operator: Operator;
  mode: 'online' | 'offline';
  signedInAt: string;
  /** the central service's session for actions that need the connection (none after an offline sign-in) */
  centralSession: string | null;
  locked: boolean;
  lastActivityMs: number;
}

/** Wrong unlock passwords before the operator is signed out altogether. */
const MAX_UNLOCK_FAILURES = 5;

/** The client of a caller that names none (tests, the command line): one session, as a single window has. */
export const DEFAULT_CLIENT = 'desk';

/** The demo city's operators can sign in on a fresh demo PC, as if they had been here before. */
export async function seedDemoVerifiers(db: Db, password: string): Promise<void> {
  const operators = db
    .prepare<[], { id: number; login: string; full_name: string; role: Role }>(
      'SELECT id, login, full_name, role FROM operators WHERE active = 1',
    )
    .all();
  const insert = db.prepare(
    'INSERT OR IGNORE INTO operator_verifiers (operator_id, login, full_name, role, verifier) VALUES (?, ?, ?, ?, ?)',
  );
  for (const o of operators)
    insert.run(o.id, o.login.toLowerCase(), o.full_name, o.role, await hashPassword(password, DEMO_COST));
}

export function createSessionService(
  ctx: ServiceContext,
  settings: ReturnType<typeof createSettingsService>,
  central: CentralClient,
  identity: Pick<Identity, 'ensure'>,
  /** A fresh install not yet enrolled with the service (its first-run screen comes before any sign-in). */
  setupNeeded: () => boolean = () => false,
) {
  const audit = createAuditRepo(ctx.db);
  const verifierOf = ctx.db.prepare<[string], VerifierRow>('SELECT * FROM operator_verifiers WHERE login = ?');
  const saveVerifier = ctx.db.prepare(
    `INSERT INTO operator_verifiers (operator_id, login, full_name, role, verifier, failed_attempts, locked_until, last_sign_in_at) VALUES (@id, @login, @fullName, @role, @verifier, 0, NULL, @at)
     ON CONFLICT(operator_id) DO UPDATE SET login = excluded.login, full_name = excluded.full_name, role = excluded.role, verifier = excluded.verifier,
       failed_attempts = 0, locked_until = NULL, last_sign_in_at = excluded.last_sign_in_at`,
  );
  const dropVerifier = ctx.db.prepare<[number]>('DELETE FROM operator_verifiers WHERE operator_id = ?');
  const clearLogin = ctx.db.prepare<[string, number]>(
    'DELETE FROM operator_verifiers WHERE login = ? AND operator_id <> ?',
  );
  const failedOffline = ctx.db.prepare<[number, string | null, number]>(
    'UPDATE operator_verifiers SET failed_attempts = ?, locked_until = ? WHERE operator_id = ?',
  );
  const goodOffline = ctx.db.prepare<[string, number]>(
    'UPDATE operator_verifiers SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = ? WHERE operator_id = ?',
  );
  /** The operator as the last pull brought it (absent before the first sync). */
  const replicatedOperator = ctx.db.prepare<[number], { full_name: string; role: Role; active: number }>(
    'SELECT full_name, role, active FROM operators WHERE id = ?',
  );

  const sessions = new Map<string, Current & { unlockFailures: number }>();
  const nowIso = () => ctx.now().toISOString();
  const idleMs = () => settings.get().settings.idleLockMinutes * 60_000;

  function state(client = DEFAULT_CLIENT): SessionState {
    const current = sessions.get(client);
    return {
      operator: current?.operator ?? null,
      mode: current?.mode ?? null,
      locked: current?.locked ?? false,
      signedInAt: current?.signedInAt ?? null,
      idleLockMinutes: settings.get().settings.idleLockMinutes,
      setup: !current && setupNeeded() ? 'enrol' : null,
    };
  }
  /** Told to that client's window only. */
  const changed = (client: string) => ctx.events.emit('session.changed', state(client), client);

  function begin(
    client: string,
    operator: Operator,
    mode: 'online' | 'offline',
    centralSession: string | null,
  ): SessionState {
    sessions.set(client, {
      operator,
      mode,
      signedInAt: nowIso(),
      centralSession,
      locked: false,
      lastActivityMs: ctx.now().getTime(),
      unlockFailures: 0,
    });
    audit.record({
      at: nowIso(),
      operatorId: operator.id,
      accountId: null,
      operation: 'session.signIn',
      result: 'ok',
      details: { mode },
    });
    changed(client);
    return state(client);
  }

  const refused = (
    operatorId: number | null,
    reason: string,
    login: string,
    operation: 'session.signIn' | 'session.unlock' = 'session.signIn',
  ) =>
    audit.record({
      at: nowIso(),
      operatorId,
      accountId: null,
      operation,
      result: 'denied',
      details: { reason, login: login.slice(0, 100) },
    });

  /** Checks a password against this PC's verifier, counting misses; five lock it for a while. */
  async function checkOffline(
    row: VerifierRow,
    password: string,
    operation: 'session.signIn' | 'session.unlock' = 'session.signIn',
  ): Promise<boolean> {
    await verifiersMade();
    row = verifierOf.get(row.login) ?? row; // as it is once they are made
    const now = ctx.now().getTime();
    if (row.locked_until && Date.parse(row.locked_until) > now) {
      refused(row.operator_id, 'locked', row.login, operation);
      throw new AppError('UNAUTHORIZED', 'Sign-in is locked for a while', {
        reason: 'auth.locked',
        until: row.locked_until,
      });
    }
    if (await verifyPassword(password, row.verifier)) {
      goodOffline.run(nowIso(), row.operator_id);
      if (needsRehash(row.verifier))
        ctx.db
          .prepare('UPDATE operator_verifiers SET verifier = ? WHERE operator_id = ?')
          .run(await hashPassword(password), row.operator_id);
      return true;
    }
    const failures = row.failed_attempts + 1;
    const locks = failures >= MAX_FAILED_SIGN_INS;
    const until = locks ? new Date(now + SIGN_IN_LOCK_MINUTES * 60_000).toISOString() : null;
    failedOffline.run(locks ? 0 : failures, until, row.operator_id);
    refused(row.operator_id, locks ? 'locked' : 'badPassword', row.login, operation);
    if (locks) throw new AppError('UNAUTHORIZED', 'Sign-in is locked for a while', { reason: 'auth.locked', until });
    return false;
  }

  async function signInOffline(client: string, login: string, password: string): Promise<SessionState> {
    await verifiersMade();
    const row = verifierOf.get(login.toLowerCase());
    if (!row) {
      refused(null, 'neverHere', login);
      throw new AppError('UNAUTHORIZED', 'No connection, and this operator has not signed in on this PC before', {
        reason: 'session.neverHere',
      });
    }
    if (!(await checkOffline(row, password)))
      throw new AppError('UNAUTHORIZED', 'Wrong login or password', { reason: 'auth.badCredentials' });
    // What the administrator changed since this PC's verifier was made, as far as sync has brought
    // it: a deactivated operator is refused (and forgotten here), a new role or name applies.
    const replicated = replicatedOperator.get(row.operator_id);
    if (replicated && !replicated.active) {
      dropVerifier.run(row.operator_id);
      refused(row.operator_id, 'inactive', row.login);
      throw new AppError('UNAUTHORIZED', 'The operator is deactivated', { reason: 'auth.inactive' });
    }
    return begin(
      client,
      {
        id: row.operator_id,
        login: row.login,
        fullName: replicated?.full_name ?? row.full_name,
        role: replicated?.role ?? row.role,
      },
      'offline',
      null,
    );
  }

  const verifiersBeingMade = new Set<Promise<void>>();
  function rememberVerifier(operator: Operator, password: string) {
    const making: Promise<void> = hashPassword(password)
      .then((verifier) => {
        ctx.db.transaction(() => {
          clearLogin.run(operator.login.toLowerCase(), operator.id);
          saveVerifier.run({
            id: operator.id,
            login: operator.login.toLowerCase(),
            fullName: operator.fullName,
            role: operator.role,
            verifier,
            at: nowIso(),
          });
        })();
      })
      .catch(() => undefined) // a closed store (the app quitting): the next online sign-in makes it again
      .finally(() => verifiersBeingMade.delete(making));
    verifiersBeingMade.add(making);
  }
  /** Waits for the verifiers still being made (before this PC checks a password itself). */
  const verifiersMade = () => Promise.all([...verifiersBeingMade]);

  async function signIn(login: string, password: string, client = DEFAULT_CLIENT): Promise<SessionState> {
    const target = central.target();
    if (target) {
      let answer: unknown;
      try {
        // Signed in at this desk, as the service knows it: it must have its identity first.
        await identity.ensure(central, target);
        answer = await central.request(target, '/v1/auth/sign-in', {
          method: 'POST',
          body: { login, password },
          timeoutMs: 15_000,
        });
      } catch (error) {
        const e = AppError.from(error);
        const reason = (e.details as { reason?: string } | undefined)?.reason;
        // The service said no to this operator: that is final, never overruled by an old verifier here.
        // (A refusal of the desk itself, its key or credentials, is not about the operator.)
        if (reason === 'auth.badCredentials' || reason === 'auth.locked' || reason === 'auth.inactive') {
          if (reason === 'auth.inactive')
            ctx.db.prepare('DELETE FROM operator_verifiers WHERE login = ?').run(login.toLowerCase());
          refused(null, reason, login);
          throw e;
        }
        return signInOffline(client, login, password); // no answer (or the desk is not recognised): this PC decides
      }
      const { operator, session } = centralSignInOutput.parse(answer);
      // The verifier for offline sign-ins is made after the operator is in (a full-cost hash is the
      // slowest step of a sign-in); an unlock or an offline sign-in waits for it.
      rememberVerifier(operator, password);
      return begin(client, operator, 'online', session);
    }
    return signInOffline(client, login, password);
  }

  function signOut(client = DEFAULT_CLIENT): SessionState {
    const current = sessions.get(client);
    if (current) {
      audit.record({
        at: nowIso(),
        operatorId: current.operator.id,
        accountId: null,
        operation: 'session.signOut',
        result: 'ok',
      });
      const target = central.target();
      const token = current.centralSession;
      if (target && token)
        void central
          .request(target, '/v1/auth/sign-out', {
            method: 'POST',
            body: {},
            headers: { 'X-Operator-Session': token },
            timeoutMs: 5_000,
          })
          .catch(() => undefined);
    }
    sessions.delete(client);
    changed(client);
    return state(client);
  }

  function lock(client = DEFAULT_CLIENT): SessionState {
    const current = sessions.get(client);
    if (current && !current.locked) {
      current.locked = true;
      audit.record({
        at: nowIso(),
        operatorId: current.operator.id,
        accountId: null,
        operation: 'session.lock',
        result: 'ok',
      });
      changed(client);
    }
    return state(client);
  }

  async function unlock(password: string, client = DEFAULT_CLIENT): Promise<SessionState> {
    const current = sessions.get(client);
    if (!current) throw new AppError('UNAUTHORIZED', 'Not signed in', { reason: 'session.signInRequired' });
    if (!current.locked) return state(client);
    await verifiersMade();
    const row = verifierOf.get(current.operator.login.toLowerCase());
    // A wrong password at the lock screen is a refused unlock in the audit trail, not a refused sign-in.
    if (row && (await checkOffline(row, password, 'session.unlock'))) {
      current.locked = false;
      current.lastActivityMs = ctx.now().getTime();
      current.unlockFailures = 0;
      audit.record({
        at: nowIso(),
        operatorId: current.operator.id,
        accountId: null,
        operation: 'session.unlock',
        result: 'ok',
      });
      changed(client);
      return state(client);
    }
    if (++current.unlockFailures >= MAX_UNLOCK_FAILURES) {
      signOut(client);
      throw new AppError('UNAUTHORIZED', 'Too many wrong passwords: signed out', { reason: 'session.signedOut' });
    }
    throw new AppError('UNAUTHORIZED', 'Wrong password', { reason: 'auth.badCredentials' });
  }

  /**
   * Called for every operation an operator makes: locks the screen when the idle time has passed
   * (the renderer locks it first; this is the backstop), else notes the activity.
   */
  function touch(active: boolean, client = DEFAULT_CLIENT): void {
    const current = sessions.get(client);
    if (!current || current.locked) return;
    const now = ctx.now().getTime();
    if (now - current.lastActivityMs > idleMs() + 60_000) lock(client);
    else if (active) current.lastActivityMs = now;
  }

  return {
    state,
    signIn,
    signOut,
    lock,
    unlock,
    touch,
    operator: (client = DEFAULT_CLIENT) => sessions.get(client)?.operator ?? null,
    locked: (client = DEFAULT_CLIENT) => sessions.get(client)?.locked ?? false,
    centralSession: (client = DEFAULT_CLIENT) => sessions.get(client)?.centralSession ?? null,
    forget: (operatorId: number) => dropVerifier.run(operatorId),
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
