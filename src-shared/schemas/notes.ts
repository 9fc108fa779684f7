// Notes and flags on an account («не звонить после 20:00», «опекун: …», «спорная задолженность»):
// shown in the account's header strip on every tab, added by any operator, removed by a supervisor,
// synced to every desk of the office (a replicated table, written through the outbox), audited.
import { z } from 'zod';
import { text } from './text';

/** The kinds of note: three flags with a fixed meaning (a guardian's name as its text) and a free note. */
export const noteKinds = ['disputedDebt', 'noLateCalls', 'guardian', 'note'] as const;
export type NoteKind = (typeof noteKinds)[number];
/** Kinds whose text is required (the guardian's name and contact, the note itself). */
export const noteKindsWithText: readonly NoteKind[] = ['guardian', 'note'];
export const NOTE_TEXT_MAX = 200;
/** Notes an account may carry at once (a strip, not a diary). */
export const MAX_NOTES_PER_ACCOUNT = 12;

/** A note's id: made by the desk that adds it (so it can be removed before it has synced). */
export const noteIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
export const noteTextSchema = text({ max: NOTE_TEXT_MAX, trim: true });

export const accountNoteSchema = z.object({
  id: noteIdSchema,
  accountId: z.number().int(),
  kind: z.enum(noteKinds),
  text: z.string().nullable(),
  /** who added it (null when this desk does not know the operator) */
  by: z.string().nullable(),
  at: z.string(),
  /** 'applied': the service holds it; 'pending' / 'sent': this desk's, not yet accepted */
  state: z.enum(['applied', 'pending', 'sent']),
});
export type AccountNote = z.infer<typeof accountNoteSchema>;

const accountId = z.number().int().positive();
export const accountNotesListInput = z.object({ accountId }).strict();
export const accountNotesListOutput = z.object({ accountId, notes: z.array(accountNoteSchema) });
export type AccountNotesList = z.infer<typeof accountNotesListOutput>;

export const accountNotesAddInput = z
  .object({
    accountId,
    kind: z.enum(noteKinds),
    /** required for a guardian and a free note; optional for the other flags */
    text: noteTextSchema.optional(),
  })
  .strict();
export const accountNotesRemoveInput = z.object({ accountId, noteId: noteIdSchema }).strict();
