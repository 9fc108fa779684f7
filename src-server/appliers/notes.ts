// accountNotes.add and accountNotes.remove on the service. Both kinds of a batch share one view of the
// notes they touch (keyed by the batch's transaction), so a note added and removed in the same push
// is found by its removal. Adding: the account must be the office's, the id new, the text there for
// the kinds that need it, the account below its number of notes. Removing: a supervisor's decision
// by the role the service knows (the capability table), of a note of that account; one removed
// meanwhile at another desk is accepted and changes nothing. A removed note keeps its row.
import { mayCall } from '../../src-shared/access';
import { MAX_NOTES_PER_ACCOUNT, noteKindsWithText, type NoteKind } from '../../src-shared/schemas/notes';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import type { Sql } from '../db';
import { loadAccounts, Rejection, requireInOffice, type AccountFacts, type Applier } from './types';

interface NotesBatch {
  accounts: Map<number, AccountFacts>;
  loadedAccounts: Set<number>;
  /** notes by id: held by the service, or added earlier in this batch */
  notes: Map<string, { accountId: number; removed: boolean }>;
  loadedNotes: Set<string>;
  /** notes not removed, per account */
  active: Map<number, number>;
}

const batches = new WeakMap<Sql, NotesBatch>();

async function batchOf(sql: Sql, accountIds: number[], noteIds: string[]): Promise<NotesBatch> {
  let batch = batches.get(sql);
  if (!batch)
    batches.set(
      sql,
      (batch = {
        accounts: new Map(),
        loadedAccounts: new Set(),
        notes: new Map(),
        loadedNotes: new Set(),
        active: new Map(),
      }),
    );
  const accounts = [...new Set(accountIds)].filter((id) => !batch.loadedAccounts.has(id));
  if (accounts.length) {
    for (const [id, facts] of await loadAccounts(sql, accounts)) batch.accounts.set(id, facts);
    const counts = await sql.query<{ account_id: number; n: number }>(
      'SELECT account_id, count(*)::int AS n FROM account_notes WHERE account_id = ANY($1::bigint[]) AND removed_at IS NULL GROUP BY account_id',
      [accounts],
    );
    for (const id of accounts) {
      batch.loadedAccounts.add(id);
      batch.active.set(id, 0);
    }
    for (const r of counts) batch.active.set(Number(r.account_id), Number(r.n));
  }
  const notes = [...new Set(noteIds)].filter((id) => !batch.loadedNotes.has(id));
  if (notes.length) {
    const rows = await sql.query<{ id: string; account_id: number; removed_at: string | null }>(
      'SELECT id, account_id, removed_at FROM account_notes WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
      [notes],
    );
    for (const id of notes) batch.loadedNotes.add(id);
    for (const r of rows) batch.notes.set(r.id, { accountId: Number(r.account_id), removed: r.removed_at !== null });
  }
  return batch;
}

interface Added {
  id: string;
  accountId: number;
  kind: NoteKind;
  text: string | null;
  createdBy: number;
  createdAt: string;
}

export const noteAddApplier: Applier<'accountNotes.add', NotesBatch, Added> = {
  load: (sql, _office, args: MutationArgs<'accountNotes.add'>[]) =>
    batchOf(
      sql,
      args.map((a) => a.accountId),
      args.map((a) => a.noteId),
    ),
  check(batch, office, args, meta) {
    requireInOffice(batch.accounts, office, args.accountId);
    if (batch.notes.has(args.noteId)) throw new Rejection('note.exists', 'A note with this id exists already');
    if (noteKindsWithText.includes(args.kind) && !args.text)
      throw new Rejection('note.textRequired', 'This kind of note needs its text');
    const active = batch.active.get(args.accountId) ?? 0;
    if (active >= MAX_NOTES_PER_ACCOUNT)
      throw new Rejection('note.tooMany', 'The account has as many notes as it may', { max: MAX_NOTES_PER_ACCOUNT });
    batch.notes.set(args.noteId, { accountId: args.accountId, removed: false });
    batch.active.set(args.accountId, active + 1);
    return {
      id: args.noteId,
      accountId: args.accountId,
      kind: args.kind,
      text: args.text,
      createdBy: meta.operatorId,
      createdAt: meta.createdAt,
    };
  },
  async write(sql, effects) {
    await sql.query(
      `INSERT INTO account_notes (id, account_id, kind, text, created_by, created_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        effects.map((e) => e.id),
        effects.map((e) => e.accountId),
        effects.map((e) => e.kind),
        effects.map((e) => e.text),
        effects.map((e) => e.createdBy),
        effects.map((e) => e.createdAt),
      ],
    );
  },
};

interface Removed {
  id: string;
  removedBy: number;
  removedAt: string;
}

export const noteRemoveApplier: Applier<'accountNotes.remove', NotesBatch, Removed | null> = {
  load: (sql, _office, args: MutationArgs<'accountNotes.remove'>[]) =>
    batchOf(
      sql,
      args.map((a) => a.accountId),
      args.map((a) => a.noteId),
    ),
  check(batch, office, args, meta) {
    if (!mayCall(meta.role, 'accountNotes.remove'))
      throw new Rejection('note.removeForbidden', 'Only a supervisor removes a note from an account');
    requireInOffice(batch.accounts, office, args.accountId);
    const note = batch.notes.get(args.noteId);
    if (!note || note.accountId !== args.accountId)
      throw new Rejection('note.notFound', 'No such note on this account');
    if (note.removed) return null; // removed meanwhile at another desk: nothing to do
    note.removed = true;
    batch.active.set(args.accountId, Math.max(0, (batch.active.get(args.accountId) ?? 1) - 1));
    return { id: args.noteId, removedBy: meta.operatorId, removedAt: meta.createdAt };
  },
  async write(sql, effects) {
    const removed = effects.filter((e): e is Removed => e !== null);
    if (!removed.length) return;
    await sql.query(
      `UPDATE account_notes n SET removed_by = u.removed_by, removed_at = u.removed_at
         FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(id, removed_by, removed_at)
        WHERE n.id = u.id AND n.removed_at IS NULL`,
      [removed.map((e) => e.id), removed.map((e) => e.removedBy), removed.map((e) => e.removedAt)],
    );
  },
};
