// The local audit trail: who did what to which account, and with what result.
import type { Db } from '../db';

export function createAuditRepo(db: Db) {
  const insert = db.prepare<[string, number | null, number | null, string, string, string | null]>(
    'INSERT INTO audit_log (at, operator_id, account_id, operation, result, details) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return {
    record(entry: {
      at: string;
      operatorId: number | null;
      accountId: number | null;
      operation: string;
      result: 'ok' | 'denied' | 'failed';
      details?: unknown;
    }): void {
      insert.run(
        entry.at,
        entry.operatorId,
        entry.accountId,
        entry.operation,
        entry.result,
        entry.details === undefined ? null : JSON.stringify(entry.details),
      );
    },
  };
}
