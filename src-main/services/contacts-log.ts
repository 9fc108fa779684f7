// The contacts this desk knows (contacts.list on the card, contacts.report for a supervisor): the
// replicated ones of the office, overlaid by this desk's changes not yet accepted (a contact opened or
// closed here shows at once) and by the contacts open at this desk now.
import { secondsBetween } from '../../src-shared/domain/duration';
import { addDays, almatyDate, almatyDayStart } from '../../src-shared/domain/period';
import type { Contact, ContactAction, ContactChannel, ContactsReport } from '../../src-shared/schemas/contacts';
import { argsOf, createOutboxRepo } from '../store/repos/outbox';
import type { ServiceContext } from './context';
import { OPERATOR_NAME } from './notes';

interface ContactRow {
  id: string;
  channel: ContactChannel;
  account_id: number | null;
  operator_id: number | null;
  started_at: string;
  ended_at: string | null;
  topic_id: string | null;
  note: string | null;
  actions: string;
}

const COLUMNS = 'id, channel, account_id, operator_id, started_at, ended_at, topic_id, note, actions';

export interface ContactsFilter {
  /** Almaty dates, inclusive */
  from: string;
  to: string;
  operatorId?: number;
  topicId?: string;
}

export function createContactsLog(ctx: ServiceContext) {
  const db = ctx.db;
  const outbox = createOutboxRepo(db);
  const byAccount = db.prepare<[number, number], ContactRow>(
    `SELECT ${COLUMNS} FROM contacts WHERE account_id = ? ORDER BY started_at DESC LIMIT ?`,
  );
  const byTime = db.prepare<[string, string], ContactRow>(
    `SELECT ${COLUMNS} FROM contacts WHERE started_at >= ? AND started_at < ?`,
  );
  const byIds = db.prepare<[string], ContactRow>(
    `SELECT ${COLUMNS} FROM contacts WHERE id IN (SELECT value FROM json_each(?))`,
  );
  const openHere = db.prepare<[], ContactRow & { operator_id: number }>(
    `SELECT contact_id AS id, channel, account_id, operator_id, started_at, NULL AS ended_at, NULL AS topic_id,
            NULL AS note, actions FROM contact_current`,
  );
  const accountNumber = db.prepare<[number], string>('SELECT number FROM accounts WHERE id = ?').pluck();
  const operatorName = db.prepare<{ id: number }, string | null>(`SELECT ${OPERATOR_NAME('@id')}`).pluck();

  const toContact = (r: ContactRow, state: Contact['state']): Contact => ({
    id: r.id,
    channel: r.channel,
    accountId: r.account_id,
    accountNumber: r.account_id === null ? null : (accountNumber.get(r.account_id) ?? null),
    operatorId: r.operator_id || null,
    operatorName: r.operator_id ? (operatorName.get({ id: r.operator_id }) ?? null) : null,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    topicId: r.topic_id,
    note: r.note,
    actions: JSON.parse(r.actions || '[]') as ContactAction[],
    state,
  });

  /** `rows` (replicated) with this desk's open changes and open contacts laid over them. */
  function overlaid(rows: ContactRow[]): Contact[] {
    const byId = new Map(rows.map((r) => [r.id, toContact(r, 'applied')]));
    const opened = outbox.open('contacts.open');
    const closed = outbox.open('contacts.close');
    // Contacts this desk changed whose replicated row fell outside the query (e.g. an account set on close).
    const missing = closed.map((row) => argsOf('contacts.close', row).contactId).filter((id) => !byId.has(id));
    const elsewhere = new Map(byIds.all(JSON.stringify(missing)).map((r) => [r.id, toContact(r, 'applied')]));
    for (const row of opened) {
      const a = argsOf('contacts.open', row);
      const base: ContactRow = {
        id: a.contactId,
        channel: a.channel,
        account_id: a.accountId,
        operator_id: row.operator_id,
        started_at: a.startedAt,
        ended_at: null,
        topic_id: null,
        note: null,
        actions: '[]',
      };
      if (!byId.has(a.contactId)) byId.set(a.contactId, toContact(base, 'pending'));
    }
    for (const row of closed) {
      const a = argsOf('contacts.close', row);
      const held = byId.get(a.contactId) ?? elsewhere.get(a.contactId);
      if (!held) continue;
      byId.set(a.contactId, {
        ...held,
        accountId: a.accountId,
        accountNumber: a.accountId === null ? null : (accountNumber.get(a.accountId) ?? null),
        endedAt: a.endedAt,
        topicId: a.topicId,
        note: a.note,
        actions: a.actions,
        state: 'pending',
      });
    }
    for (const r of openHere.all()) byId.set(r.id, toContact(r, 'open'));
    return [...byId.values()];
  }

  const newestFirst = (a: Contact, b: Contact) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id);

  function list(accountId: number, limit: number) {
    const contacts = overlaid(byAccount.all(accountId, limit))
      .filter((c) => c.accountId === accountId)
      .sort(newestFirst)
      .slice(0, limit);
    return { accountId, contacts };
  }

  /** The contacts begun in the Almaty days of the filter, with its operator and topic. */
  function inRange(filter: ContactsFilter): Contact[] {
    const from = almatyDayStart(filter.from).toISOString();
    const to = almatyDayStart(addDays(filter.to, 1)).toISOString();
    return overlaid(byTime.all(from, to))
      .filter((c) => c.startedAt >= from && c.startedAt < to)
      .filter((c) => filter.operatorId === undefined || c.operatorId === filter.operatorId)
      .filter((c) => filter.topicId === undefined || c.topicId === filter.topicId)
      .sort(newestFirst);
  }

  /** Counts and average duration (of the closed ones, whole seconds) by operator, Almaty day and topic. */
  function report(filter: ContactsFilter): ContactsReport {
    const groups = new Map<string, ContactsReport['rows'][number] & { seconds: number; closed: number }>();
    let seconds = 0;
    let closed = 0;
    const contacts = inRange(filter);
    for (const c of contacts) {
      const day = almatyDate(new Date(c.startedAt));
      const key = JSON.stringify([day, c.operatorId, c.topicId]);
      let g = groups.get(key);
      if (!g)
        groups.set(
          key,
          (g = {
            operatorId: c.operatorId,
            operatorName: c.operatorName,
            day,
            topicId: c.topicId,
            count: 0,
            averageSeconds: null,
            seconds: 0,
            closed: 0,
          }),
        );
      g.count += 1;
      if (c.endedAt) {
        const s = secondsBetween(c.startedAt, c.endedAt);
        g.seconds += s;
        g.closed += 1;
        seconds += s;
        closed += 1;
      }
    }
    const rows = [...groups.values()]
      .map(({ seconds: s, closed: n, ...row }) => ({ ...row, averageSeconds: n ? Math.round(s / n) : null }))
      .sort(
        (a, b) =>
          a.day.localeCompare(b.day) ||
          (a.operatorName ?? '').localeCompare(b.operatorName ?? '') ||
          (a.topicId ?? '').localeCompare(b.topicId ?? ''),
      );
    return { rows, total: contacts.length, averageSeconds: closed ? Math.round(seconds / closed) : null };
  }

  return { list, report };
}
