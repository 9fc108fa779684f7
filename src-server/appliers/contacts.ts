// contacts.open, contacts.close and contactTopics.save on the service. A contact is the office's of the
// desk that pushed it: the service stamps `office_id` itself, refuses an account of another office, and
// lets only the operator who opened a contact close it, once. A close names a known, active topic. The
// two contact kinds of a batch share one view of its contacts (keyed by the batch's transaction), and a
// close writes the whole row (an upsert), so it lands whichever kind's writes run first.
import { mayCall } from '../../src-shared/access';
import { MAX_TOPICS, type ContactAction } from '../../src-shared/schemas/contacts';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import type { Sql } from '../db';
import { loadAccounts, Rejection, requireInOffice, type AccountFacts, type Applier } from './types';

interface Held {
  channel: string;
  accountId: number | null;
  operatorId: number;
  officeId: number;
  startedAt: string;
  closed: boolean;
}

interface ContactsBatch {
  accounts: Map<number, AccountFacts>;
  contacts: Map<string, Held>;
  loaded: Set<string>;
  /** topic id → active */
  topics: Map<string, boolean>;
}

const batches = new WeakMap<Sql, ContactsBatch>();

async function batchOf(sql: Sql, accountIds: (number | null)[], contactIds: string[]): Promise<ContactsBatch> {
  let batch = batches.get(sql);
  if (!batch) {
    const topics = await sql.query<{ id: string; active: number }>('SELECT id, active FROM contact_topics');
    batch = { accounts: new Map(), contacts: new Map(), loaded: new Set(), topics: new Map() };
    for (const t of topics) batch.topics.set(t.id, Number(t.active) === 1);
    batches.set(sql, batch);
  }
  const accounts = [...new Set(accountIds.filter((id): id is number => id !== null))].filter(
    (id) => !batch.accounts.has(id),
  );
  for (const [id, facts] of await loadAccounts(sql, accounts)) batch.accounts.set(id, facts);
  const ids = [...new Set(contactIds)].filter((id) => !batch.loaded.has(id));
  if (ids.length) {
    const rows = await sql.query<{
      id: string;
      channel: string;
      account_id: number | null;
      operator_id: number;
      office_id: number;
      started_at: string;
      ended_at: string | null;
    }>(
      'SELECT id, channel, account_id, operator_id, office_id, started_at, ended_at FROM contacts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
      [ids],
    );
    for (const id of ids) batch.loaded.add(id);
    for (const r of rows)
      batch.contacts.set(r.id, {
        channel: r.channel,
        accountId: r.account_id === null ? null : Number(r.account_id),
        operatorId: Number(r.operator_id),
        officeId: Number(r.office_id),
        startedAt: r.started_at,
        closed: r.ended_at !== null,
      });
  }
  return batch;
}

interface ContactRow {
  id: string;
  channel: string;
  accountId: number | null;
  operatorId: number;
  officeId: number;
  startedAt: string;
  endedAt: string | null;
  topicId: string | null;
  note: string | null;
  actions: ContactAction[];
}

export const contactOpenApplier: Applier<'contacts.open', ContactsBatch, ContactRow> = {
  load: (sql, _office, args: MutationArgs<'contacts.open'>[]) =>
    batchOf(
      sql,
      args.map((a) => a.accountId),
      args.map((a) => a.contactId),
    ),
  check(batch, office, args, meta) {
    if (args.accountId !== null) requireInOffice(batch.accounts, office, args.accountId);
    if (batch.contacts.has(args.contactId)) throw new Rejection('contact.exists', 'A contact with this id exists');
    const row = {
      id: args.contactId,
      channel: args.channel,
      accountId: args.accountId,
      operatorId: meta.operatorId,
      officeId: office.id,
      startedAt: args.startedAt,
      endedAt: null,
      topicId: null,
      note: null,
      actions: [],
    };
    batch.contacts.set(args.contactId, { ...row, closed: false });
    return row;
  },
  write: (sql, effects) => writeContacts(sql, effects, 'DO NOTHING'),
};

export const contactCloseApplier: Applier<'contacts.close', ContactsBatch, ContactRow> = {
  load: (sql, _office, args: MutationArgs<'contacts.close'>[]) =>
    batchOf(
      sql,
      args.flatMap((a) => [a.accountId, ...a.actions.map((x) => x.accountId)]),
      args.map((a) => a.contactId),
    ),
  check(batch, office, args, meta) {
    const held = batch.contacts.get(args.contactId);
    if (!held) throw new Rejection('contact.notFound', 'No such contact');
    if (held.officeId !== office.id) throw new Rejection('sync.notYourOffice', 'The contact is another office’s');
    if (held.operatorId !== meta.operatorId) throw new Rejection('contact.notYours', 'Another operator’s contact');
    if (held.closed) throw new Rejection('contact.closed', 'The contact is closed already');
    if (Date.parse(args.endedAt) < Date.parse(held.startedAt))
      throw new Rejection('contact.endBeforeStart', 'A contact cannot end before it began');
    if (args.accountId !== null) requireInOffice(batch.accounts, office, args.accountId);
    for (const a of args.actions) if (a.accountId !== null) requireInOffice(batch.accounts, office, a.accountId);
    if (args.topicId !== null && batch.topics.get(args.topicId) !== true)
      throw new Rejection('contact.unknownTopic', 'No such topic', { topicId: args.topicId });
    held.closed = true;
    return {
      id: args.contactId,
      channel: held.channel,
      accountId: args.accountId ?? held.accountId,
      operatorId: held.operatorId,
      officeId: held.officeId,
      startedAt: held.startedAt,
      endedAt: args.endedAt,
      topicId: args.topicId,
      note: args.note,
      actions: args.actions,
    };
  },
  write: (sql, effects) =>
    writeContacts(
      sql,
      effects,
      'DO UPDATE SET account_id = excluded.account_id, ended_at = excluded.ended_at, topic_id = excluded.topic_id, note = excluded.note, actions = excluded.actions',
    ),
};

async function writeContacts(sql: Sql, effects: ContactRow[], onConflict: string): Promise<void> {
  if (!effects.length) return;
  const column = <K extends keyof ContactRow>(key: K) => effects.map((e) => e[key]);
  await sql.query(
    `INSERT INTO contacts (id, channel, account_id, operator_id, office_id, started_at, ended_at, topic_id, note, actions)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
     ON CONFLICT (id) ${onConflict}`,
    [
      column('id'),
      column('channel'),
      column('accountId'),
      column('operatorId'),
      column('officeId'),
      column('startedAt'),
      column('endedAt'),
      column('topicId'),
      column('note'),
      effects.map((e) => JSON.stringify(e.actions)),
    ],
  );
}

type TopicEffect = MutationArgs<'contactTopics.save'>;

export const topicSaveApplier: Applier<'contactTopics.save', { topics: Set<string> }, TopicEffect> = {
  async load(sql) {
    const rows = await sql.query<{ id: string }>('SELECT id FROM contact_topics');
    return { topics: new Set(rows.map((r) => r.id)) };
  },
  check(context, _office, args, meta) {
    if (!mayCall(meta.role, 'contactTopics.save'))
      throw new Rejection('contact.topicsForbidden', 'Only an administrator edits the topics');
    if (!context.topics.has(args.topicId) && context.topics.size >= MAX_TOPICS)
      throw new Rejection('contact.tooManyTopics', 'The list holds as many topics as it may', { max: MAX_TOPICS });
    context.topics.add(args.topicId);
    return args;
  },
  async write(sql, effects) {
    for (const e of effects)
      await sql.query(
        `INSERT INTO contact_topics (id, name_ru, name_kk, name_en, active, position) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name_ru = excluded.name_ru, name_kk = excluded.name_kk, name_en = excluded.name_en,
           active = excluded.active, position = excluded.position`,
        [e.topicId, e.names.ru, e.names.kk, e.names.en, e.active ? 1 : 0, e.position],
      );
  },
};
