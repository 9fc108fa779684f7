// Operators on the central service: sign-in and sessions (operator-sessions.ts, composed here), and
// the administrator's list of operators and roles. An operator belongs to an office (or, with no
// office, to the whole utility) and signs in only at that office's desks. Which operators have signed in at which desk is kept: it is
// what a desk's changes and audit entries may name. Every refusal and every change is in server_audit.
// This file holds the administration (list, create, update, the role check) and the demo's passwords.
import { AppError } from '../src-shared/errors';
import {
  DEMO_OPERATOR_PASSWORD,
  type Operator,
  type OperatorAdmin,
  type OperatorCreateInput,
  type OperatorUpdateInput,
  type Role,
} from '../src-shared/schemas/operators';
import { DEMO_COST, hashPassword } from '../src-shared/node/secrets';
import type { ServerDb, Sql } from './db';
import { lockVersions } from './schema';
import type { Caller, Office } from './offices';
import { rolesFor } from '../src-shared/access';
import { OPERATOR_SQL, byLogin, operatorAudit, publicOf, worksAt, type OperatorRow } from './operator-rows';
import { createOperatorSessions } from './operator-sessions';

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
  const audit = operatorAudit(ctx);
  const { signIn, signOut, operatorOf } = createOperatorSessions(ctx, audit);

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
