// The audit trail for supervisors: filter by operator, account and date; the entries of a filter for
// the CSV export (the renderer writes it in the supervisor's words, as the screen shows them:
// src-renderer/composables/audit-words.ts).
import { addDays, almatyDayStart } from '../../src-shared/domain/period';
import type { AuditEntry } from '../../src-shared/schemas/audit';
import type { ChangeWhat } from '../../src-shared/schemas/sync';
import type { ServiceContext } from './context';
import { createChangeDescriber } from './sync/described';

export interface AuditFilter {
  operatorId?: number;
  accountId?: number;
  accountNumber?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

// Almaty dates to UTC instants, by the zone's rules (19:00 UTC the day before now, 18:00 before March 2024).
const dayStartUtc = (date: string) => almatyDayStart(date).toISOString();
/** The most entries one export carries. */
const CSV_MAX_ROWS = 100_000;

export function createAuditService(ctx: ServiceContext) {
  const where = `WHERE (@operatorId IS NULL OR l.operator_id = @operatorId)
      AND (@accountId IS NULL OR l.account_id = @accountId)
      AND (@accountNumber IS NULL OR a.number = @accountNumber)
      AND (@fromAt IS NULL OR l.at >= @fromAt)
      AND (@toAt IS NULL OR l.at < @toAt)`;
  const select = ctx.db.prepare(
    `SELECT l.id, l.at, l.operator_id AS operatorId, o.full_name AS operatorName, l.account_id AS accountId, a.number AS accountNumber,
            l.operation, l.result, l.details
       FROM audit_log l LEFT JOIN operators o ON o.id = l.operator_id LEFT JOIN accounts a ON a.id = l.account_id
       ${where} ORDER BY l.at DESC, l.id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = ctx.db
    .prepare(`SELECT count(*) FROM audit_log l LEFT JOIN accounts a ON a.id = l.account_id ${where}`)
    .pluck();
  // Everyone who appears in the trail or works at this office, for the supervisor's operator filter.
  const operators = ctx.db.prepare<[], { id: number; fullName: string; login: string }>(
    `SELECT id, full_name AS fullName, login FROM operators
     UNION SELECT operator_id, full_name, login FROM operator_verifiers WHERE operator_id NOT IN (SELECT id FROM operators)
     ORDER BY fullName`,
  );

  const describer = createChangeDescriber(ctx.db);
  const outboxRow = ctx.db.prepare<[number], { name: string; args: string }>(
    'SELECT name, args FROM outbox WHERE seq = ?',
  );
  const ids = (value: unknown): number[] =>
    (Array.isArray(value) ? value : [value]).filter((v): v is number => Number.isSafeInteger(v));

  /** The entry's seqs and meter ids as the operator knows them: the changes described, the meters' serials. */
  function subjectsOf(details: string | null): AuditEntry['subjects'] {
    let d: Record<string, unknown>;
    try {
      const parsed: unknown = details ? JSON.parse(details) : null;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { changes: [], meters: [] };
      d = parsed as Record<string, unknown>;
    } catch {
      return { changes: [], meters: [] };
    }
    const changes: ChangeWhat[] = [];
    for (const seq of ids(d['seqs'] ?? d['seq'])) {
      const row = outboxRow.get(seq);
      if (row) changes.push(describer.describe(row.name, row.args));
    }
    return {
      changes: changes.filter((c) => c.kind !== 'other'),
      meters: describer.serials(ids(d['meters'] ?? d['meterId'])),
    };
  }

  function params(filter: AuditFilter) {
    return {
      operatorId: filter.operatorId ?? null,
      accountId: filter.accountId ?? null,
      accountNumber: filter.accountNumber ?? null,
      fromAt: filter.from ? dayStartUtc(filter.from) : null,
      toAt: filter.to ? dayStartUtc(addDays(filter.to, 1)) : null,
    };
  }

  function list(filter: AuditFilter): { entries: AuditEntry[]; total: number } {
    const p = params(filter);
    return {
      entries: (select.all({ ...p, limit: filter.limit, offset: filter.offset }) as Omit<AuditEntry, 'subjects'>[]).map(
        (e) => ({ ...e, subjects: subjectsOf(e.details) }),
      ),
      total: count.get(p) as number,
    };
  }

  /** Every entry of the filter (up to 100 000) for the CSV export, which the screen writes in the operator's words. */
  function csv(filter: Omit<AuditFilter, 'limit' | 'offset'>): { entries: AuditEntry[]; total: number } {
    return list({ ...filter, limit: CSV_MAX_ROWS, offset: 0 });
  }

  return { list, csv, operators: () => ({ operators: operators.all() }) };
}
