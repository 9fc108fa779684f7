// Notes and flags on an account (accountNotes.list / add / remove): any operator adds one, a supervisor
// removes one (the capability table; the service checks again by the role it knows). Both are
// mutations through the outbox, so they work offline and reach the office's other desks by sync; each
// is recorded in the audit trail with the note's kind and text. What the strip shows is the replicated
// notes overlaid by this desk's changes not yet accepted: an added note at once, a removed one gone.
import { randomUUID } from 'node:crypto';
import { mayCall } from '../../src-shared/access';
import { AppError } from '../../src-shared/errors';
import {
  MAX_NOTES_PER_ACCOUNT,
  noteKindsWithText,
  type AccountNote,
  type AccountNotesList,
  type NoteKind,
} from '../../src-shared/schemas/notes';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import { createAuditRepo } from '../store/repos/audit';
import { argsOf, createOutboxRepo } from '../store/repos/outbox';
import type { CallContext, ServiceContext } from './context';

/** Who an operator is by id: the replicated operators, else this PC's record of one who signed in here. */
export const OPERATOR_NAME = (column: string) =>
  `coalesce((SELECT full_name FROM operators WHERE id = ${column}), (SELECT full_name FROM operator_verifiers WHERE operator_id = ${column}))`;

export function createNotesService(ctx: ServiceContext) {
  const db = ctx.db;
  const outbox = createOutboxRepo(db);
  const audit = createAuditRepo(db);
  const accountExists = db.prepare<[number], number>('SELECT 1 FROM accounts WHERE id = ?').pluck();
  const replicated = db.prepare<
    [number],
    { id: string; kind: NoteKind; text: string | null; by: string | null; created_at: string }
  >(
    `SELECT n.id, n.kind, n.text, ${OPERATOR_NAME('n.created_by')} AS by, n.created_at FROM account_notes n
      WHERE n.account_id = ? AND n.removed_at IS NULL ORDER BY n.created_at, n.version, n.id`,
  );
  const operatorName = db.prepare<{ id: number }, string | null>(`SELECT ${OPERATOR_NAME('@id')}`).pluck();

  function list(accountId: number): AccountNotesList {
    if (!accountExists.get(accountId)) throw new AppError('NOT_FOUND', 'No such account', { accountId });
    const removing = new Set(
      outbox
        .openForAccount(accountId, 'accountNotes.remove')
        .filter((row) => row.state !== 'rejected')
        .map((row) => argsOf('accountNotes.remove', row).noteId),
    );
    const notes: AccountNote[] = replicated
      .all(accountId)
      .map((n) => ({ id: n.id, accountId, kind: n.kind, text: n.text, by: n.by, at: n.created_at, state: 'applied' }));
    const held = new Set(notes.map((n) => n.id));
    for (const row of outbox.openForAccount(accountId, 'accountNotes.add')) {
      if (row.state === 'rejected') continue;
      const args = argsOf('accountNotes.add', row);
      if (held.has(args.noteId)) continue;
      notes.push({
        id: args.noteId,
        accountId,
        kind: args.kind,
        text: args.text,
        by: row.operator_id === null ? null : (operatorName.get({ id: row.operator_id }) ?? null),
        at: row.created_at,
        state: row.state === 'sent' ? 'sent' : 'pending',
      });
    }
    return { accountId, notes: notes.filter((n) => !removing.has(n.id)) };
  }

  const writeAdd = db.transaction((args: MutationArgs<'accountNotes.add'>, operatorId: number | null, at: string) => {
    const seq = outbox.enqueue('accountNotes.add', args, args.accountId, operatorId, at);
    audit.record({
      at,
      operatorId,
      accountId: args.accountId,
      operation: 'accountNotes.add',
      result: 'ok',
      details: { seq, noteId: args.noteId, noteKind: args.kind, noteText: args.text },
    });
  });

  function add(input: { accountId: number; kind: NoteKind; text?: string }, call: CallContext): AccountNotesList {
    const current = list(input.accountId);
    const text = input.text ? input.text : null;
    if (noteKindsWithText.includes(input.kind) && !text) {
      throw new AppError('VALIDATION', 'The note was not added', {
        fields: [{ path: 'text', code: 'note.textRequired', message: 'This kind of note needs its text' }],
      });
    }
    if (current.notes.length >= MAX_NOTES_PER_ACCOUNT) {
      throw new AppError('VALIDATION', 'The note was not added', {
        fields: [{ path: 'kind', code: 'note.tooMany', message: `At most ${MAX_NOTES_PER_ACCOUNT} notes` }],
        max: MAX_NOTES_PER_ACCOUNT,
      });
    }
    writeAdd(
      { accountId: input.accountId, noteId: randomUUID(), kind: input.kind, text },
      call.operatorId,
      ctx.now().toISOString(),
    );
    return list(input.accountId);
  }

  const writeRemove = db.transaction(
    (args: MutationArgs<'accountNotes.remove'>, note: AccountNote, operatorId: number | null, at: string) => {
      const seq = outbox.enqueue('accountNotes.remove', args, args.accountId, operatorId, at);
      audit.record({
        at,
        operatorId,
        accountId: args.accountId,
        operation: 'accountNotes.remove',
        result: 'ok',
        details: { seq, noteId: note.id, noteKind: note.kind, noteText: note.text, addedBy: note.by },
      });
    },
  );

  function remove(input: { accountId: number; noteId: string }, call: CallContext): AccountNotesList {
    // The gate lets only supervisors call it; a call with another role (never through the gate) is refused too.
    if (call.role && !mayCall(call.role, 'accountNotes.remove'))
      throw new AppError('FORBIDDEN', 'Only a supervisor removes a note', { reason: 'note.removeForbidden' });
    const note = list(input.accountId).notes.find((n) => n.id === input.noteId);
    if (!note) throw new AppError('NOT_FOUND', 'No such note on this account', { reason: 'note.notFound' });
    writeRemove({ accountId: input.accountId, noteId: input.noteId }, note, call.operatorId, ctx.now().toISOString());
    return list(input.accountId);
  }

  return { list, add, remove };
}
