// Operators on the central service: sign-in from a desk (password checked here, five misses lock it
// for a while), operator sessions bound to the office and the desk, and the administrator's list of
// operators and roles. An operator belongs to an office (or, with no office, to the whole utility) and
// signs in only at that office's desks. Which operators have signed in at which desk is kept: it is
// what a desk's changes and audit entries may name. Every refusal and every change is in server_audit.
import { AppError } from '../src-shared/errors';
import {
  MAX_FAILED_SIGN_INS,
  SIGN_IN_LOCK_MINUTES,
  DEMO_OPERATOR_PASSWORD,
  type Operator,
  type OperatorAdmin,
  type OperatorCreateInput,
  type OperatorUpdateInput,
  type Role,
} from '../src-shared/schemas/operators';
import {
  DEMO_COST,
  hashPassword,
  looksLikeToken,
  needsRehash,
  newToken,
  tokenHash,
  verifyPassword,
} from '../src-shared/node/secrets';
import type { ServerDb, Sql } from './db';
import { lockVersions } from './schema';
import type { Caller, Office } from './offices';
import { rolesFor } from '../src-shared/access';

export const OPERATOR_SESSION_MS = 12 * 3_600_000;

interface OperatorRow {
  id: number;
  login: string;
  full_name: string;
  role: Role;
  office_id: number | null;
  password_hash: string | null;
  active: boolean | null;
  failed_sign_ins: number | null;
  locked_until: Date | null;
}

const OPERATOR_SQL = `SELECT o.id, o.login, o.full_name, o.role, o.office_id, c.password_hash, c.active, c.failed_sign_ins, c.locked_until
  FROM operators o LEFT JOIN operator_credentials c ON c.operator_id = o.id`;

const publicOf = (row: OperatorRow): Operator => ({
  id: Number(row.id),
  login: row.login,
  fullName: row.full_name,
  role: row.role,
});
/** An operator of this office, or of the whole utility. */
const worksAt = (row: { office_id: number | null }, office: Office) =>
  row.office_id === null || Number(row.office_id) === office.id;

/** Gives every operator without a password the demo's published one (cheap hash, replaced at first sign-in). */
export async function seedOperatorPasswords(db: ServerDb, password = DEMO_OPERATOR_PASSWORD): Promise<number> {
  const missing = await db.query<{ id: number }>(
    'SELECT o.id FROM operators o LEFT JOIN operator_credentials c ON c.operator_id = o.id WHERE c.operator_id IS NULL',
  );
  for (const { id } of missing) {
    await db.query(
      'INSERT INTO operator_credentials (operator_id, password_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [id, await hashPassword(password, DEMO_COST)],
    );
  }
  return missing.length;
}

/**
 * The operators a desk's changes and audit entries may name: those who signed in at this desk online
 * (or at the desk it was before it was given a new id) and still belong to its office.
 */
export async function verifiedOperators(sql: Sql, caller: Caller, ids: number[]): Promise<Map<number, Role>> {
  if (!ids.length || !caller.clientId) return new Map();
  const rows = await sql.query<{ id: number; role: Role }>(
    `SELECT o.id, o.role FROM client_operators co JOIN operators o ON o.id = co.operator_id
      WHERE co.client_id = $1 AND co.operator_id = ANY($2::bigint[]) AND (o.office_id IS NULL OR o.office_id = $3)`,
    [caller.clientId, [...new Set(ids)], caller.office.id],
  );
  return new Map(rows.map((r) => [Number(r.id), r.role]));
}

export function createOperators(ctx: { db: ServerDb; now: () => Date }) {
  const { db } = ctx;

  async function audit(entry: {
    office: Office | null;
    clientId?: string | null;
    operatorId: number | null;
    operation: string;
    result: string;
    details?: Record<string, unknown>;
  }) {
    await db
      .query(
        'INSERT INTO server_audit (at, office_id, operator_id, account_id, operation, result, details, client_id) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7)',
        [
          ctx.now(),
          entry.office?.id ?? null,
          entry.operatorId,
          entry.operation,
          entry.result,
          JSON.stringify(entry.details ?? {}),
          entry.clientId ?? null,
        ],
      )
      .catch(() => undefined);
  }

  const byLogin = async (sql: Sql, login: string) =>
    (await sql.query<OperatorRow>(`${OPERATOR_SQL} WHERE lower(o.login) = lower($1)`, [login]))[0];

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

  /** Refuses (and audits) an operator whose role is not among `allowed`. */
  async function requireRole(office: Office, operator: Operator, allowed: readonly Role[], operation: string) {
    if (allowed.includes(operator.role)) return;
    await audit({
      office,
      operatorId: operator.id,
      operation,
      result: 'denied',
      details: { reason: 'role', role: operator.role },
    });
    throw new AppError('FORBIDDEN', 'Not allowed for this role', { reason: 'auth.role' });
  }

  /** The office's operators and the utility-wide ones (what an administrator at this office manages). */
  async function list(office: Office): Promise<OperatorAdmin[]> {
    const rows = await db.query<OperatorRow>(
      `${OPERATOR_SQL} WHERE o.office_id IS NULL OR o.office_id = $1 ORDER BY o.id`,
      [office.id],
    );
    const now = ctx.now().getTime();
    return rows.map((r) => ({
      ...publicOf(r),
      active: r.active !== false,
      hasPassword: !!r.password_hash,
      lockedUntil:
        r.locked_until && new Date(r.locked_until).getTime() > now ? new Date(r.locked_until).toISOString() : null,
    }));
  }

  async function create(office: Office, actor: Operator, input: OperatorCreateInput): Promise<OperatorAdmin[]> {
    await requireRole(office, actor, rolesFor('operators.create'), 'operators.create');
    const hash = await hashPassword(input.password);
    await db.tx(async (sql) => {
      await lockVersions(sql); // the replicated row changes (see schema.ts)
      if (await byLogin(sql, input.login))
        throw new AppError('CONFLICT', 'Login taken', {
          reason: 'operators.loginTaken',
          fields: [{ path: 'login', code: 'operators.loginTaken', message: 'login' }],
        });
      const id = (await sql.query<{ id: number }>('SELECT coalesce(max(id), 0) + 1 AS id FROM operators'))[0]!.id;
      await sql.query(
        'INSERT INTO operators (id, login, full_name, role, active, office_id) VALUES ($1, $2, $3, $4, 1, $5)',
        [id, input.login, input.fullName, input.role, office.id],
      );
      await sql.query('INSERT INTO operator_credentials (operator_id, password_hash) VALUES ($1, $2)', [id, hash]);
    });
    await audit({
      office,
      operatorId: actor.id,
      operation: 'operators.create',
      result: 'ok',
      details: { login: input.login, role: input.role },
    });
    return list(office);
  }

  async function update(office: Office, actor: Operator, input: OperatorUpdateInput): Promise<OperatorAdmin[]> {
    await requireRole(office, actor, rolesFor('operators.update'), 'operators.update');
    // Nobody takes away their own right to administer operators (the office would be left without one).
    if (
      input.id === actor.id &&
      ((input.role && !rolesFor('operators.update').includes(input.role)) || input.active === false)
    ) {
      throw new AppError('CONFLICT', 'An administrator cannot demote or deactivate themselves', {
        reason: 'operators.notYourself',
      });
    }
    const hash = input.password ? await hashPassword(input.password) : null;
    await db.tx(async (sql) => {
      const row = (await sql.query<OperatorRow>(`${OPERATOR_SQL} WHERE o.id = $1 FOR UPDATE OF o`, [input.id]))[0];
      if (!row || !worksAt(row, office))
        throw new AppError('NOT_FOUND', 'No such operator', { reason: 'operators.notFound' });
      await lockVersions(sql);
      if (input.fullName !== undefined || input.role !== undefined || input.active !== undefined) {
        // The replicated row: desktops learn of a new role or a deactivation by their next pull.
        await sql.query('UPDATE operators SET full_name = $2, role = $3, active = coalesce($4, active) WHERE id = $1', [
          input.id,
          input.fullName ?? row.full_name,
          input.role ?? row.role,
          input.active === undefined ? null : input.active ? 1 : 0,
        ]);
      }
      await sql.query(
        `INSERT INTO operator_credentials (operator_id, password_hash, active) VALUES ($1, coalesce($2, ''), coalesce($3, true))
         ON CONFLICT (operator_id) DO UPDATE SET password_hash = coalesce($2, operator_credentials.password_hash), active = coalesce($3, operator_credentials.active),
           failed_sign_ins = CASE WHEN $2 IS NULL THEN operator_credentials.failed_sign_ins ELSE 0 END,
           locked_until = CASE WHEN $2 IS NULL THEN operator_credentials.locked_until ELSE NULL END, changed_at = now()`,
        [input.id, hash, input.active ?? null],
      );
      // A deactivated operator or a new password ends the operator's sessions everywhere.
      if (input.active === false || hash)
        await sql.query('DELETE FROM operator_sessions WHERE operator_id = $1', [input.id]);
    });
    const { password: _password, ...changed } = input;
    await audit({
      office,
      operatorId: actor.id,
      operation: 'operators.update',
      result: 'ok',
      details: { ...changed, passwordChanged: !!hash },
    });
    return list(office);
  }

  async function officeInfo(office: Office) {
    const districts = office.districtIds
      ? await db.query<{ id: number; name: string }>(
          'SELECT id, name FROM districts WHERE id = ANY($1::bigint[]) ORDER BY name',
          [office.districtIds],
        )
      : null;
    return { name: office.name, districts: districts?.map((d) => ({ id: Number(d.id), name: d.name })) ?? null };
  }

  return { signIn, signOut, operatorOf, requireRole, list, create, update, office: officeInfo };
}

export type Operators = ReturnType<typeof createOperators>;
