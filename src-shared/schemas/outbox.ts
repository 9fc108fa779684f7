// The outbox's mutations: the operations a desk queues while it works (offline or not) and the service
// applies when they are pushed, each with its argument schema. The desk's services enqueue exactly
// these arguments (`MutationArgs<N>`), and the service checks every pushed change by them again.
import { z } from 'zod';
import { isValidDate, PERIOD_RE } from '../domain/period';
import { findingReasons, readingKinds, type ReasonedFinding } from '../readings/checks';
import { contactMutationArgs } from './contacts';
import { emailSchema } from './mail';
import { noteIdSchema, noteKinds, noteTextSchema } from './notes';
import { text } from './text';

/** Where a reading keyed in or imported at a desk comes from (the readings table's `source`). */
export const readingSubmitSources = ['operator', 'controller'] as const;
export const dateText = z.string().refine(isValidDate, 'date');

const findingCodes = Object.keys(findingReasons) as [ReasonedFinding, ...ReasonedFinding[]];
const reasonCodes = [...new Set(Object.values(findingReasons).flat())] as [string, ...string[]];

/** The mutations the server knows, with their argument schemas (what the desktop's services enqueue). */
export const mutationArgs = {
  'readings.submit': z
    .object({
      accountId: z.number().int().positive(),
      meterId: z.number().int().positive(),
      period: z.string().regex(PERIOD_RE),
      valueLitres: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
      readOn: dateText,
      kind: z.enum(readingKinds),
      /** a reason for a finding, from that finding's own list («гости» for a high one, never for a low one) */
      reasons: z
        .partialRecord(z.enum(findingCodes), z.enum(reasonCodes))
        .refine(
          (given) =>
            Object.entries(given).every(([finding, reason]) =>
              (findingReasons[finding as ReasonedFinding] as readonly string[]).includes(reason as string),
            ),
          { message: 'A reason from another finding' },
        )
        .default({}),
      /** the version of this period's reading the operator saw (null: none yet); another desk's newer one is a conflict */
      basedOn: z.number().int().nonnegative().nullable().default(null),
      /** the desk found a supervisor's finding and the operator is not one: held for a supervisor (the service may hold it for its own reasons too) */
      held: z.boolean().default(false),
      /** who read the meter: the operator took it from the customer, or a controller's round (imported from its file) */
      source: z.enum(readingSubmitSources).default('operator'),
    })
    .strict(),
  /** A supervisor's decision on a reading held for one: release it, correct it (a new row), or refuse it. */
  'readings.review': z
    .object({
      accountId: z.number().int().positive(),
      meterId: z.number().int().positive(),
      readingId: z.number().int().positive(),
      decision: z.enum(['release', 'correct', 'refuse']),
      note: text({ max: 500, min: 1, multiline: true }),
      /** for a correction: the value in litres, and the date */
      valueLitres: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().default(null),
      readOn: dateText.nullable().default(null),
    })
    .strict(),
  'subscriptions.set': z
    .object({ accountId: z.number().int().positive(), subscribed: z.boolean(), email: emailSchema })
    .strict(),
  /** A note or flag put on an account; its id is made by the desk (so it can be removed before it syncs). */
  'accountNotes.add': z
    .object({
      accountId: z.number().int().positive(),
      noteId: noteIdSchema,
      kind: z.enum(noteKinds),
      text: noteTextSchema.nullable(),
    })
    .strict(),
  /** A note taken off an account: a supervisor's decision (the service checks the role it knows). */
  'accountNotes.remove': z.object({ accountId: z.number().int().positive(), noteId: noteIdSchema }).strict(),
  'meters.replace': z
    .object({
      accountId: z.number().int().positive(),
      meterId: z.number().int().positive(),
      period: z.string().regex(PERIOD_RE),
      readOn: dateText,
      finalLitres: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
      newSerial: z.string().regex(/^[0-9A-Za-zА-Яа-я-]{4,20}$/),
      intDigits: z.number().int().min(4).max(8),
      fracDigits: z.number().int().min(0).max(3),
      installLitres: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    })
    .strict(),
  ...contactMutationArgs,
} as const;
export type MutationName = keyof typeof mutationArgs;
export type MutationArgs<N extends MutationName> = z.output<(typeof mutationArgs)[N]>;
