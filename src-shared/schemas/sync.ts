// The sync protocol between the desktop and the central service (see docs/architecture.md, "Sync").
import { z } from 'zod';
import { DATE_RE, PERIOD_RE } from '../domain/period';
import { readingKinds } from '../readings/checks';
import { emailSchema } from './mail';

export const MAX_PUSH_MUTATIONS = 500;

export const pushMutationSchema = z.object({
  seq: z.number().int().positive(),
  name: z.string().max(64),
  args: z.unknown(),
  operatorId: z.number().int().positive().nullable(),
  createdAt: z.string().max(40),
});
export type PushMutation = z.infer<typeof pushMutationSchema>;

export const pushRequestSchema = z
  .object({
    clientId: z.string().regex(/^[0-9a-f-]{8,64}$/i),
    mutations: z.array(pushMutationSchema).min(1).max(MAX_PUSH_MUTATIONS),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const mutationResultSchema = z.object({
  seq: z.number().int(),
  status: z.enum(['applied', 'rejected']),
  code: z.string().nullable(),
  message: z.string().nullable(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({ results: z.array(mutationResultSchema), lastSeq: z.number().int() });
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** The mutations the server knows, with their argument schemas (what the desktop's services enqueue). */
export const mutationArgs = {
  'readings.submit': z
    .object({
      accountId: z.number().int().positive(),
      meterId: z.number().int().positive(),
      period: z.string().regex(PERIOD_RE),
      valueLitres: z.number().int().nonnegative(),
      readOn: z.string().regex(DATE_RE),
      kind: z.enum(readingKinds),
      reasons: z.record(z.string(), z.string()).default({}),
    })
    .strict(),
  'subscriptions.set': z.object({ accountId: z.number().int().positive(), subscribed: z.boolean(), email: emailSchema }).strict(),
} as const;
export type MutationName = keyof typeof mutationArgs;

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(20_000).default(5_000),
});

export const pullResponseSchema = z.object({
  cursor: z.number().int(),
  hasMore: z.boolean(),
  rows: z.number().int(),
  /** the newest version on the server when the page was read: progress is (cursor − start) / (latest − start) */
  latest: z.number().int(),
  /** rows per table, parent tables first: each row is an array in `columns` order with `version` last */
  tables: z.record(z.string(), z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) })),
  /** keys of rows deleted on the server in this page's range, per table (tombstones) */
  deleted: z.record(z.string(), z.array(z.record(z.string(), z.union([z.string(), z.number()])))).default({}),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** The desktop's sync status, shown in the app frame. */
export const syncStatusSchema = z.object({
  configured: z.boolean(),
  state: z.enum(['local', 'online', 'offline', 'syncing']),
  pending: z.number().int(),
  rejected: z.number().int(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** during a pull: rows applied so far in this run */
  rowsApplied: z.number().int(),
  /** during a pull: 0–100, and the seconds left at the pace so far (null when unknown) */
  progressPercent: z.number().int().nullable(),
  secondsLeft: z.number().int().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const rejectedChangeSchema = z.object({
  seq: z.number().int(),
  name: z.string(),
  accountId: z.number().int().nullable(),
  accountNumber: z.string().nullable(),
  createdAt: z.string(),
  settledAt: z.string().nullable(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  /** the change as it was made (e.g. the reading typed) */
  args: z.unknown(),
});
export const rejectedChangesOutput = z.object({ changes: z.array(rejectedChangeSchema) });

export const syncResolveInput = z
  .object({ seq: z.number().int().positive(), resolution: z.enum(['corrected', 'dismissed']), note: z.string().trim().min(3).max(500) })
  .strict();
