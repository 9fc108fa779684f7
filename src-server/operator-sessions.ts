// Operator sessions on the central service: sign-in from a desk (password checked here, five misses lock
// it for a while; a weaker hash is replaced after the answer), the session bound to the office and the
// desk, the operator behind an X-Operator-Session header, and sign-out. Kept apart from the
// administration of operators (operators.ts): this is who is signed in, that is who exists.
import { AppError } from '../src-shared/errors';
import { MAX_FAILED_SIGN_INS, SIGN_IN_LOCK_MINUTES, type Operator } from '../src-shared/schemas/operators';
import {
  hashPassword,
  looksLikeToken,
  needsRehash,
  newToken,
  tokenHash,
  verifyPassword,
} from '../src-shared/node/secrets';
import type { ServerDb } from './db';
import type { Caller } from './offices';
import { byLogin, publicOf, worksAt, type OperatorAuditEntry, type OperatorRow } from './operator-rows';

export const OPERATOR_SESSION_MS = 12 * 3_600_000;

export function createOperatorSessions(
  ctx: { db: ServerDb; now: () => Date },
  audit: (entry: OperatorAuditEntry) => Promise<void>,
) {
  const { db } = ctx;

  async function signIn(
    caller: Caller,
    login: string,
    password: string,
  ): Promise<{ operator: Operator; session: string; expiresAt: string }> {
    const { office } = caller;
    const found = login.length <= 100 ? await byLogin(db, login.trim()) : undefined;
    // An operator of another office is, at this office's desks, nobody (the answer does not tell).
    const row = found && worksAt(found, office) ? found : undefined;
    const now = ctx.now();
    if (row?.locked_until && new Date(row.locked_until).getTime() > now.getTime()) {
      await audit({
        office,
        operatorId: Number(row.id),
        operation: 'session.signIn',
        result: 'denied',
        details: { reason: 'locked' },
      });
      throw new AppError('UNAUTHORIZED', 'Sign-in is locked for a while', {
        reason: 'auth.locked',
        until: new Date(row.locked_until).toISOString(),
      });
    }
    // The hash is checked even for an unknown login, so timing does not tell which logins exist.
    const good = await verifyPassword(password, row?.password_hash ?? null);
    if (!row || !good || row.active === false) {
      if (row) {
        const locks = (row.failed_sign_ins ?? 0) + 1 >= MAX_FAILED_SIGN_INS;
        await db.query(
          `INSERT INTO operator_credentials (operator_id, password_hash, failed_sign_ins, locked_until) VALUES ($1, '', 1, NULL)
           ON CONFLICT (operator_id) DO UPDATE SET failed_sign_ins = CASE WHEN $2 THEN 0 ELSE operator_credentials.failed_sign_ins + 1 END,
             locked_until = CASE WHEN $2 THEN $3::timestamptz ELSE operator_credentials.locked_until END`,
          [row.id, locks, new Date(now.getTime() + SIGN_IN_LOCK_MINUTES * 60_000)],
        );
        await audit({
          office,
          operatorId: Number(row.id),
          operation: 'session.signIn',
          result: 'denied',
          details: { reason: row.active === false && good ? 'inactive' : 'badPassword', locked: locks },
        });
        if (locks)
          throw new AppError('UNAUTHORIZED', 'Sign-in is locked for a while', {
            reason: 'auth.locked',
            until: new Date(now.getTime() + SIGN_IN_LOCK_MINUTES * 60_000).toISOString(),
          });
        if (row.active === false && good)
          throw new AppError('UNAUTHORIZED', 'The operator is deactivated', { reason: 'auth.inactive' });
      } else {
        await audit({
          office,
          operatorId: null,
          operation: 'session.signIn',
          result: 'denied',
          details: { reason: found ? 'otherOffice' : 'unknownLogin' },
        });
      }
      throw new AppError('UNAUTHORIZED', 'Wrong login or password', { reason: 'auth.badCredentials' });
    }
    // A hash of weaker parameters (the demo's) is replaced by a full-cost one, after the answer: the
    // operator does not wait for a second scrypt (only if nobody changed the password meanwhile).
    if (needsRehash(row.password_hash!)) {
      const old = row.password_hash!;
      void hashPassword(password)
        .then((hash) =>
          db.query('UPDATE operator_credentials SET password_hash = $2 WHERE operator_id = $1 AND password_hash = $3', [
            row.id,
            hash,
            old,
          ]),
        )
        .catch(() => undefined);
    }
    const token = newToken();
    const expiresAt = new Date(now.getTime() + OPERATOR_SESSION_MS);
    await db.tx(async (sql) => {
      await sql.query(
        'UPDATE operator_credentials SET failed_sign_ins = 0, locked_until = NULL WHERE operator_id = $1',
        [row.id],
      );
      await sql.query('DELETE FROM operator_sessions WHERE operator_id = $1 AND expires_at < $2', [row.id, now]);
      await sql.query(
        'INSERT INTO operator_sessions (token_hash, operator_id, office_id, client_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [tokenHash(token), row.id, office.id, caller.clientId, now, expiresAt],
      );
      // The desk where this operator works: its changes and audit entries may name them from now on.
      if (caller.clientId) {
        await sql.query(
          `INSERT INTO client_operators (client_id, operator_id, first_at, last_at) VALUES ($1, $2, $3, $3)
           ON CONFLICT (client_id, operator_id) DO UPDATE SET last_at = excluded.last_at`,
          [caller.clientId, row.id, now],
        );
      }
    });
    await audit({
      office,
      clientId: caller.clientId,
      operatorId: Number(row.id),
      operation: 'session.signIn',
      result: 'ok',
    });
    return { operator: publicOf(row), session: token, expiresAt: expiresAt.toISOString() };
  }

  /** The operator behind an `X-Operator-Session` header of this office (and desk), or an UNAUTHORIZED error. */
  async function operatorOf(caller: Caller, token: unknown): Promise<Operator> {
    if (looksLikeToken(token)) {
      const rows = await db.query<OperatorRow & { session_office: number; client_id: string | null; expires_at: Date }>(
        `SELECT o.id, o.login, o.full_name, o.role, o.office_id, c.active, s.office_id AS session_office, s.client_id, s.expires_at FROM operator_sessions s
           JOIN operators o ON o.id = s.operator_id LEFT JOIN operator_credentials c ON c.operator_id = o.id WHERE s.token_hash = $1`,
        [tokenHash(token)],
      );
      const row = rows[0];
      const sameDesk = row?.client_id == null || row.client_id === caller.clientId;
      if (
        row &&
        Number(row.session_office) === caller.office.id &&
        sameDesk &&
        worksAt(row, caller.office) &&
        new Date(row.expires_at).getTime() > ctx.now().getTime() &&
        row.active !== false
      ) {
        return publicOf(row);
      }
    }
    throw new AppError('UNAUTHORIZED', 'Operator session missing or expired', { reason: 'auth.sessionRequired' });
  }

  async function signOut(token: unknown) {
    if (looksLikeToken(token))
      await db.query('DELETE FROM operator_sessions WHERE token_hash = $1', [tokenHash(token)]);
  }

  return { signIn, signOut, operatorOf };
}
