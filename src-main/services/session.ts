// Who is working at this PC. Sign-in goes to the central service when it answers (it holds the
// passwords and says the role); the desktop then keeps an offline verifier (scrypt, never the
// password) so the same operator can sign in here when the connection is down. Five wrong passwords
// lock sign-in for a while (the verifiers: session-verifiers.ts). The screen locks after the idle
// time in the settings; unlocking asks the password again. The central service's operator session
// stays in memory only; one signed in without the connection gets it by signing in to the service
// again once it answers (`reconnect`: the password asked again, or the one typed at the lock screen).
// Each client has its own session: an Electron window, a browser of the web shell (its cookie). A
// sign-in in one never changes another, and every call carries the operator of its own client only.
import { AppError } from '../../src-shared/errors';
import { centralSignInOutput, type Operator, type SessionState } from '../../src-shared/schemas/operators';
import { createAuditRepo } from '../store/repos/audit';
import type { CentralClient } from './central-client';
import type { ServiceContext } from './context';
import { createVerifiers } from './session-verifiers';
import type { createSettingsService } from './settings';
import type { Identity } from './sync/identity';

export { seedDemoVerifiers } from './session-verifiers';

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

export function createSessionService(
  ctx: ServiceContext,
  settings: ReturnType<typeof createSettingsService>,
  central: CentralClient,
  identity: Pick<Identity, 'ensure'>,
  /** A fresh install not yet enrolled with the service (its first-run screen comes before any sign-in). */
  setupNeeded: () => boolean = () => false,
) {
  const audit = createAuditRepo(ctx.db);
  const verifiers = createVerifiers(ctx);
  const refused = verifiers.refused;

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

  /** The service's "no" about the operator: final, never overruled by an old verifier here. */
  function operatorRefusal(error: unknown): { error: AppError; reason: string } | null {
    const e = AppError.from(error);
    const reason = (e.details as { reason?: string } | undefined)?.reason;
    // (A refusal of the desk itself, its key or credentials, is not about the operator.)
    return reason === 'auth.badCredentials' || reason === 'auth.locked' || reason === 'auth.inactive'
      ? { error: e, reason }
      : null;
  }

  /** Asks the service to sign the operator in at this desk (it must know the desk's identity first). */
  async function askService(login: string, password: string, timeoutMs: number): Promise<unknown> {
    const target = central.target()!;
    await identity.ensure(central, target);
    return central.request(target, '/v1/auth/sign-in', { method: 'POST', body: { login, password }, timeoutMs });
  }

  async function signIn(login: string, password: string, client = DEFAULT_CLIENT): Promise<SessionState> {
    if (!central.target()) return begin(client, await verifiers.offlineOperator(login, password), 'offline', null);
    let answer: unknown;
    try {
      answer = await askService(login, password, 15_000);
    } catch (error) {
      const refusal = operatorRefusal(error);
      if (!refusal) return begin(client, await verifiers.offlineOperator(login, password), 'offline', null); // no answer: this PC decides
      if (refusal.reason === 'auth.inactive') verifiers.forgetLogin(login);
      refused(null, refusal.reason, login);
      throw refusal.error;
    }
    const { operator, session } = centralSignInOutput.parse(answer);
    // The verifier for offline sign-ins is made after the operator is in (a full-cost hash is the
    // slowest step of a sign-in); an unlock or an offline sign-in waits for it.
    verifiers.remember(operator, password);
    return begin(client, operator, 'online', session);
  }

  /**
   * An operator signed in without the connection signs in to the service again once it answers: the
   * password is asked again (this PC never keeps it, in memory or anywhere), the same session goes
   * online, nothing on the screens is lost. `quiet`: tried with the password just typed at the lock
   * screen, with a short wait. The service's "no" is final: deactivated, the operator is signed out.
   */
  async function reconnect(password: string, client = DEFAULT_CLIENT, quiet = false): Promise<SessionState> {
    const current = sessions.get(client);
    if (!current) throw new AppError('UNAUTHORIZED', 'Not signed in', { reason: 'session.signInRequired' });
    if (current.mode === 'online') return state(client);
    if (!central.target())
      throw new AppError('UNAVAILABLE', 'No central service is configured', { reason: 'session.notConfigured' });
    const login = current.operator.login;
    let answer: unknown;
    try {
      answer = await askService(login, password, quiet ? 5_000 : 15_000);
    } catch (error) {
      const refusal = operatorRefusal(error);
      if (!refusal)
        throw new AppError('UNAVAILABLE', 'The central service does not answer', { reason: 'session.unreachable' });
      refused(current.operator.id, refusal.reason, login, 'session.reconnect');
      if (refusal.reason === 'auth.inactive') {
        verifiers.forgetLogin(login);
        signOut(client);
      }
      throw refusal.error;
    }
    const { operator, session } = centralSignInOutput.parse(answer);
    if (sessions.get(client) !== current) return state(client); // signed out meanwhile
    if (operator.id !== current.operator.id) {
      // The login is another operator's at the service now: this session is nobody's to keep.
      refused(current.operator.id, 'otherOperator', login, 'session.reconnect');
      signOut(client);
      throw new AppError('UNAUTHORIZED', 'The service knows this login as another operator', {
        reason: 'session.otherOperator',
      });
    }
    Object.assign(current, { mode: 'online', centralSession: session, operator });
    verifiers.remember(operator, password);
    audit.record({
      at: nowIso(),
      operatorId: operator.id,
      accountId: null,
      operation: 'session.reconnect',
      result: 'ok',
    });
    changed(client);
    return state(client);
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
    // A wrong password at the lock screen is a refused unlock in the audit trail, not a refused sign-in.
    if (await verifiers.check(current.operator.login, password, 'session.unlock')) {
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
      // Signed in without the connection: the password just typed signs in to the service too, if it
      // answers now (used for that one request, kept nowhere); no answer, and the session stays offline.
      if (current.mode === 'offline' && central.target()) void reconnect(password, client, true).catch(() => undefined);
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
    reconnect,
    forget: verifiers.forget,
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
