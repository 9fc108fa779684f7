// What the operators' modules share (operators.ts, operator-sessions.ts): the row as read with its
// credentials, the public shape of an operator, "works at this office", the lookup by login and the
// server_audit entry every refusal and change writes. Kept apart so the sign-in and the administration
// read operators the same way without either importing the other.
import type { Operator, Role } from '../src-shared/schemas/operators';
import type { ServerDb, Sql } from './db';
import type { Office } from './offices';

export interface OperatorRow {
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

export const OPERATOR_SQL = `SELECT o.id, o.login, o.full_name, o.role, o.office_id, c.password_hash, c.active, c.failed_sign_ins, c.locked_until
  FROM operators o LEFT JOIN operator_credentials c ON c.operator_id = o.id`;

export const publicOf = (row: OperatorRow): Operator => ({
  id: Number(row.id),
  login: row.login,
  fullName: row.full_name,
  role: row.role,
});
/** An operator of this office, or of the whole utility. */
export const worksAt = (row: { office_id: number | null }, office: Office) =>
  row.office_id === null || Number(row.office_id) === office.id;

export const byLogin = async (sql: Sql, login: string) =>
  (await sql.query<OperatorRow>(`${OPERATOR_SQL} WHERE lower(o.login) = lower($1)`, [login]))[0];

export interface OperatorAuditEntry {
  office: Office | null;
  clientId?: string | null;
  operatorId: number | null;
  operation: string;
  result: string;
  details?: Record<string, unknown>;
}

/** Writes one server_audit entry for the operators' work (never failing the action it records). */
export function operatorAudit(ctx: { db: ServerDb; now: () => Date }) {
  const { db } = ctx;
  return async function audit(entry: OperatorAuditEntry) {
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
  };
}
