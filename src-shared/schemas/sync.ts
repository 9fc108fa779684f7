// The sync protocol between the desktop and the central service (see docs/architecture.md, "Sync").
// Every field a desk sends is checked by these schemas on the service too. The mutations a push
// carries, with their argument schemas, are in ./outbox.ts.
import { z } from 'zod';
import { PERIOD_RE } from '../domain/period';
import { contactChannels, topicNamesSchema } from './contacts';
import { noteKinds } from './notes';
import { centralUrlSchema } from './settings';
import { instantText, jsonText, text } from './text';

export const MAX_PUSH_MUTATIONS = 500;
export const MAX_AUDIT_ENTRIES = 1000;

const clientIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const seqSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const pushMutationSchema = z
  .object({
    seq: seqSchema,
    name: text({ max: 64 }),
    args: z.unknown(),
    operatorId: z.number().int().positive().nullable(),
    createdAt: instantText,
  })
  .strict();
export type PushMutation = z.infer<typeof pushMutationSchema>;

export const pushRequestSchema = z
  .object({
    clientId: clientIdSchema,
    /** the highest seq this desk knows the service acknowledged (what tells a restored service from a restored desk) */
    ackedThrough: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    mutations: z.array(pushMutationSchema).min(1).max(MAX_PUSH_MUTATIONS),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const mutationResultSchema = z.object({
  seq: z.number().int(),
  status: z.enum(['applied', 'rejected']),
  code: z.string().nullable(),
  message: z.string().nullable(),
  /** what the reason needs to be told in words (e.g. the reading another desk entered) */
  details: z.record(z.string(), z.unknown()).nullable().default(null),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({ results: z.array(mutationResultSchema), lastSeq: z.number().int() });
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** The start of a sync run: what each side acknowledged, so either can tell when the other was restored. */
export const helloRequestSchema = z
  .object({
    clientId: clientIdSchema.nullable(),
    ackedThrough: z.number().int().min(0),
    cursor: z.number().int().min(0),
  })
  .strict();
export const helloResponseSchema = z.object({
  protocol: z.number().int(),
  /** the seq the service last acknowledged for this desk (null: it does not know the desk) */
  lastSeq: z.number().int().nullable(),
  /** the highest audit entry id the service holds from this desk */
  auditThrough: z.number().int(),
  /** the newest row version the service has handed out */
  latest: z.number().int(),
  /** what the office receives (its districts, the model version): a change means a full pull */
  scope: z.string(),
  office: z.object({ id: z.number().int(), name: z.string() }),
});
export type HelloResponse = z.infer<typeof helloResponseSchema>;

export const registerClientSchema = z
  .object({
    firstSeq: seqSchema,
    previousClientId: clientIdSchema.nullable().default(null),
    reason: z
      .enum(['first', 'restoredDesk', 'copiedDesk', 'unknownToService', 'serviceRestored', 'diverged'])
      .default('first'),
  })
  .strict();
export const registerClientOutput = z.object({ clientId: clientIdSchema, token: z.string() });

const ENROLMENT_CODE = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/**
 * An enrolment code as typed (any case, spaces or dashes, O for 0, I or L for 1: Crockford's base32,
 * read aloud without confusion) in its canonical 16 characters, or null when it cannot be one.
 */
export function normaliseEnrolmentCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return ENROLMENT_CODE.test(plain) ? plain : null;
}

/** `desk.enroll` on the service: a one-time code (as typed) gives this desk its own credentials. */
export const deskEnrollRequest = z
  .object({
    code: text({ max: 40, min: 1, trim: true }),
    firstSeq: seqSchema,
    /** how the desk names itself in `office list` (its computer's name) */
    label: text({ max: 100, trim: true }).nullable().default(null),
  })
  .strict();
export const deskEnrollOutput = z.object({
  clientId: clientIdSchema,
  token: z.string().regex(/^desk\./),
  office: z.object({ id: z.number().int(), name: z.string(), districtIds: z.array(z.number().int()).nullable() }),
});
export type DeskEnrollOutput = z.infer<typeof deskEnrollOutput>;

/** `desk.enroll` as the first-run screen calls it. */
export const deskEnrollInput = z
  .object({
    url: centralUrlSchema.refine((url) => url !== '', { params: { i18n: 'settings.centralUrl' } }),
    code: text({ max: 40, min: 1, trim: true }).refine((code) => normaliseEnrolmentCode(code) !== null, {
      params: { i18n: 'enrol.codeFormat' },
    }),
  })
  .strict();
export const deskEnrollResult = z.object({ office: deskEnrollOutput.shape.office });

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(20_000).default(5_000),
});

const tablePage = z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) });
export const pullResponseSchema = z.object({
  cursor: z.number().int(),
  hasMore: z.boolean(),
  rows: z.number().int(),
  /** the newest version on the server when the page was read: progress is (cursor − start) / (latest − start) */
  latest: z.number().int(),
  /** what this office receives; a page of another scope than the desk synced under means a full pull */
  scope: z.string(),
  /** rows per table, parent tables first: each row is an array in `columns` order with `version` last */
  tables: z.record(z.string(), tablePage),
  /** rows that left this office (deleted, or moved to another office's district), per table: key columns then `version` */
  deleted: z.record(z.string(), tablePage).default({}),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** Audit entries a desktop uploads: the envelope; each entry is checked on its own (a bad one is set aside). */
export const auditUploadInput = z
  .object({ clientId: clientIdSchema, entries: z.array(z.unknown()).max(MAX_AUDIT_ENTRIES) })
  .strict();
export const auditEntryUpload = z
  .object({
    localId: seqSchema,
    at: instantText,
    operatorId: z.number().int().positive().nullable(),
    accountId: z.number().int().positive().nullable(),
    operation: z
      .string()
      .regex(/^[a-z][A-Za-z]*(\.[A-Za-z]+)+$/)
      .max(100),
    result: z.enum(['ok', 'denied', 'failed']),
    details: jsonText(10_000).nullable(),
  })
  .strict();
export type AuditEntryUpload = z.infer<typeof auditEntryUpload>;
export const auditUploadOutput = z.object({
  stored: z.number().int(),
  /** entries the service set aside, with the reason (the rest were kept) */
  refused: z.array(z.object({ localId: z.number().int(), reason: z.string() })),
});

/** Why the last sync did not complete, in a form the frame can put in words. */
export const syncProblemSchema = z.object({
  /** unreachable: no answer; refused: the service answered no; outdated: this desk is too old; revoked: its credentials were withdrawn */
  kind: z.enum(['unreachable', 'refused', 'outdated', 'revoked']),
  code: z.string(),
  reason: z.string().nullable(),
  message: z.string(),
});
export type SyncProblem = z.infer<typeof syncProblemSchema>;

/** The desktop's sync status, shown in the app frame. */
export const syncStatusSchema = z.object({
  configured: z.boolean(),
  /**
   * local: no service configured; starting: the shell is starting the service itself; connecting:
   * configured, no answer yet since this desk started; online / offline (no answer) / refused (the
   * service said no) after a run; syncing: a run is under way
   */
  state: z.enum(['local', 'starting', 'connecting', 'online', 'offline', 'refused', 'syncing']),
  pending: z.number().int(),
  rejected: z.number().int(),
  /** changes and audit entries the service set aside as malformed (reported, not blocking) */
  setAside: z.number().int(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  problem: syncProblemSchema.nullable(),
  /** during a pull: rows applied so far in this run */
  rowsApplied: z.number().int(),
  /** during a pull: 0–100, and the seconds left at the pace so far (null when unknown) */
  progressPercent: z.number().int().nullable(),
  secondsLeft: z.number().int().nullable(),
  /** a full pull of the office is under way (after the office's districts changed, or the service was restored) */
  resyncing: z.boolean(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * A change of the outbox as the operator made it, described by the desk (sync/described.ts): the
 * meter by its serial, a value as the meter shows it (`00123,45`), the period. Screens put it in
 * words from this and never decode stored arguments themselves. `meter` is null when this desk no
 * longer has the meter.
 */
export const changeWhatSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('reading'),
    meter: z.string().nullable(),
    value: z.string(),
    period: z.string().regex(PERIOD_RE),
    held: z.boolean(),
  }),
  z.object({
    kind: z.literal('review'),
    meter: z.string().nullable(),
    decision: z.enum(['release', 'correct', 'refuse']),
    value: z.string().nullable(),
  }),
  z.object({ kind: z.literal('replace'), meter: z.string().nullable(), newSerial: z.string(), readOn: z.string() }),
  z.object({ kind: z.literal('subscription'), subscribed: z.boolean(), email: z.string() }),
  /** a note put on the account, or taken off it (null kind: the note is no longer on this desk) */
  z.object({
    kind: z.literal('note'),
    removed: z.boolean(),
    noteKind: z.enum(noteKinds).nullable(),
    text: z.string().nullable(),
  }),
  /** a contact begun or ended (the channel and topic as this desk knows them; null: not known here) */
  z.object({
    kind: z.literal('contact'),
    closed: z.boolean(),
    channel: z.enum(contactChannels).nullable(),
    topic: topicNamesSchema.nullable(),
  }),
  /** a topic of the contact log added or changed (its names in the three languages) */
  z.object({ kind: z.literal('topic'), names: topicNamesSchema, active: z.boolean() }),
  z.object({ kind: z.literal('other') }),
]);
export type ChangeWhat = z.infer<typeof changeWhatSchema>;

/** A change on its way (or refused): for which account, what, when and by whom. */
export const outboxChangeSchema = z.object({
  seq: z.number().int(),
  name: z.string(),
  /** pending: not yet accepted by the service; sent: accepted, its effect not yet pulled; rejected: refused */
  state: z.enum(['pending', 'sent', 'rejected']),
  accountId: z.number().int().nullable(),
  accountNumber: z.string().nullable(),
  createdAt: z.string(),
  operatorName: z.string().nullable(),
  what: changeWhatSchema,
});
export type OutboxChange = z.infer<typeof outboxChangeSchema>;

/** `sync.pending`: what waits to be sent, oldest first (at most `limit`; `total` counts them all). */
export const pendingChangesInput = z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict();
export const pendingChangesOutput = z.object({ changes: z.array(outboxChangeSchema), total: z.number().int() });

export const rejectedChangeSchema = outboxChangeSchema.extend({
  settledAt: z.string().nullable(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  /** the change as it was stored (for the tests and the log; screens show `what`) */
  args: z.unknown(),
});
export type RejectedChange = z.infer<typeof rejectedChangeSchema>;
export const rejectedChangesOutput = z.object({ changes: z.array(rejectedChangeSchema) });

/** What sync did that a supervisor should know of (a restored service or desk, a full pull, entries set aside). */
export const syncEventSchema = z.object({
  at: z.string(),
  operation: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export const syncEventsOutput = z.object({ events: z.array(syncEventSchema) });

export const syncResolveInput = z
  .object({
    seq: z.number().int().positive(),
    resolution: z.enum(['corrected', 'dismissed']),
    note: text({ max: 500, min: 3, trim: true, multiline: true }),
  })
  .strict();
