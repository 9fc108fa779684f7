// This PC's offline verifiers (`operator_verifiers`): a scrypt hash of an operator's password made
// after each online sign-in (never the password), so the same operator can sign in or unlock here
// when the central service does not answer. Five wrong passwords lock it for a while. What the
// administrator changed since reaches it by pull: a deactivated operator is refused and forgotten, a
// new role or name applies. The refusals go to the audit trail as the operation they refused.
import { AppError } from '../../src-shared/errors';
import {
  MAX_FAILED_SIGN_INS,
  SIGN_IN_LOCK_MINUTES,
  type Operator,
  type Role,
} from '../../src-shared/schemas/operators';
import { DEMO_COST, hashPassword, needsRehash, verifyPassword } from '../../src-shared/node/secrets';
import { createAuditRepo } from '../store/repos/audit';
import type { Db } from '../store/db';
import type { ServiceContext } from './context';

interface VerifierRow {
  operator_id: number;
  login: string;
  full_name: string;
  role: Role;
  verifier: string;
  failed_attempts: number;
  locked_until: string | null;
}

/** The operations a password is checked for (a refusal is recorded as the one it refused). */
export type PasswordOperation = 'session.signIn' | 'session.unlock' | 'session.reconnect';

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

export function createVerifiers(ctx: ServiceContext) {
  const audit = createAuditRepo(ctx.db);
  const verifierOf = ctx.db.prepare<[string], VerifierRow>('SELECT * FROM operator_verifiers WHERE login = ?');
  const saveVerifier = ctx.db.prepare(
    `INSERT INTO operator_verifiers (operator_id, login, full_name, role, verifier, failed_attempts, locked_until, last_sign_in_at) VALUES (@id, @login, @fullName, @role, @verifier, 0, NULL, @at)
     ON CONFLICT(operator_id) DO UPDATE SET login = excluded.login, full_name = excluded.full_name, role = excluded.role, verifier = excluded.verifier,
       failed_attempts = 0, locked_until = NULL, last_sign_in_at = excluded.last_sign_in_at`,
  );
  const dropVerifier = ctx.db.prepare<[number]>('DELETE FROM operator_verifiers WHERE operator_id = ?');
  const dropLogin = ctx.db.prepare<[string]>('DELETE FROM operator_verifiers WHERE login = ?');
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
  const nowIso = () => ctx.now().toISOString();

  const refused = (
    operatorId: number | null,
    reason: string,
    login: string,
    operation: PasswordOperation = 'session.signIn',
  ) =>
    audit.record({
      at: nowIso(),
      operatorId,
      accountId: null,
      operation,
      result: 'denied',
      details: { reason, login: login.slice(0, 100) },
    });

  const beingMade = new Set<Promise<void>>();
  /** Waits for the verifiers still being made (before this PC checks a password itself). */
  const made = () => Promise.all([...beingMade]);

  /** Makes (after the operator is in: a full-cost hash is the slowest step of a sign-in) the operator's verifier. */
  function remember(operator: Operator, password: string): void {
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
      .finally(() => beingMade.delete(making));
    beingMade.add(making);
  }

  /** Checks a password against this PC's verifier for `login`, counting misses; five lock it for a while. */
  async function check(login: string, password: string, operation: PasswordOperation): Promise<boolean> {
    await made();
    const row = verifierOf.get(login.toLowerCase());
    if (!row) return false;
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

  /** The operator this PC lets in without the service, or why not (never here, wrong password, deactivated). */
  async function offlineOperator(login: string, password: string): Promise<Operator> {
    await made();
    const row = verifierOf.get(login.toLowerCase());
    if (!row) {
      refused(null, 'neverHere', login);
      throw new AppError('UNAUTHORIZED', 'No connection, and this operator has not signed in on this PC before', {
        reason: 'session.neverHere',
      });
    }
    if (!(await check(login, password, 'session.signIn')))
      throw new AppError('UNAUTHORIZED', 'Wrong login or password', { reason: 'auth.badCredentials' });
    const replicated = replicatedOperator.get(row.operator_id);
    if (replicated && !replicated.active) {
      dropVerifier.run(row.operator_id);
      refused(row.operator_id, 'inactive', row.login);
      throw new AppError('UNAUTHORIZED', 'The operator is deactivated', { reason: 'auth.inactive' });
    }
    return {
      id: row.operator_id,
      login: row.login,
      fullName: replicated?.full_name ?? row.full_name,
      role: replicated?.role ?? row.role,
    };
  }

  return {
    refused,
    remember,
    made,
    check,
    offlineOperator,
    forget: (operatorId: number) => dropVerifier.run(operatorId),
    forgetLogin: (login: string) => dropLogin.run(login.toLowerCase()),
  };
}
