// The contact log («Обращения»): every call, visit or letter is a contact with its channel, account,
// operator, start and end, topic (a short list the administrator keeps, in ru/kk/en), a note, and what
// was done during it (collected by the desk from the operations it performed while it was open).
// Contacts and topics are mutations through the outbox like any other change, replicated back to the
// desks of the same office (contacts) or of every office (topics).
import { z } from 'zod';
import { DATE_RE } from '../domain/period';
import { instantText, text } from './text';

export const contactChannels = ['phone', 'visit', 'email'] as const;
export type ContactChannel = (typeof contactChannels)[number];

/** What the desk writes down by itself while a contact is open (one per operation the operator did). */
export const contactActionKinds = [
  'readingSubmitted',
  'readingHeld',
  'statementPrinted',
  'statementEmailed',
  'statementSaved',
  'webAction',
  'subscription',
  'noteAdded',
  'meterReplaced',
] as const;
export type ContactActionKind = (typeof contactActionKinds)[number];

export const CONTACT_NOTE_MAX = 500;
export const MAX_CONTACT_ACTIONS = 100;
export const TOPIC_NAME_MAX = 80;
export const MAX_TOPICS = 40;

const id = z.number().int().positive();
/** A contact's id: a UUID made by the desk that opened it. */
export const contactIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** A topic's id: a short slug for the built-in ones, a UUID for the administrator's own. */
export const topicIdSchema = z.string().regex(/^[a-z0-9-]{1,40}$/);
export const contactNoteSchema = text({ max: CONTACT_NOTE_MAX, multiline: true, trim: true });

export const contactActionSchema = z
  .object({
    kind: z.enum(contactActionKinds),
    accountId: id.nullable(),
    at: instantText,
    /** which document, which web-account action (e.g. 'breakdown', 'web.reset') */
    detail: z
      .string()
      .regex(/^[A-Za-z.]{1,40}$/)
      .nullable(),
  })
  .strict();
export type ContactAction = z.infer<typeof contactActionSchema>;
export const contactActionsSchema = z.array(contactActionSchema).max(MAX_CONTACT_ACTIONS);

export const topicNamesSchema = z
  .object({
    ru: text({ max: TOPIC_NAME_MAX, min: 1, trim: true }),
    kk: text({ max: TOPIC_NAME_MAX, min: 1, trim: true }),
    en: text({ max: TOPIC_NAME_MAX, min: 1, trim: true }),
  })
  .strict();
export type TopicNames = z.infer<typeof topicNamesSchema>;

export const contactTopicSchema = z.object({
  id: topicIdSchema,
  names: z.object({ ru: z.string(), kk: z.string(), en: z.string() }),
  active: z.boolean(),
  position: z.number().int(),
  state: z.enum(['applied', 'pending']),
});
export type ContactTopic = z.infer<typeof contactTopicSchema>;

export const contactSchema = z.object({
  id: contactIdSchema,
  channel: z.enum(contactChannels),
  accountId: id.nullable(),
  accountNumber: z.string().nullable(),
  operatorId: id.nullable(),
  operatorName: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  topicId: z.string().nullable(),
  note: z.string().nullable(),
  actions: z.array(contactActionSchema),
  /** 'applied': the service holds it as shown; 'pending': this desk's, not yet accepted; 'open': going on now */
  state: z.enum(['applied', 'pending', 'open']),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactsOpenInput = z.object({ channel: z.enum(contactChannels), accountId: id.optional() }).strict();
export const contactsCloseInput = z
  .object({ topicId: topicIdSchema.nullable().optional(), note: contactNoteSchema.optional() })
  .strict();
export const contactsCurrentOutput = z.object({ contact: contactSchema.nullable() });
export const contactsListInput = z
  .object({ accountId: id, limit: z.number().int().min(1).max(200).default(50) })
  .strict();
export const contactsListOutput = z.object({ accountId: id, contacts: z.array(contactSchema) });

const dateText = z.string().regex(DATE_RE);
export const contactsReportInput = z
  .object({ from: dateText, to: dateText, operatorId: id.optional(), topicId: topicIdSchema.optional() })
  .strict();
export const contactsReportRow = z.object({
  operatorId: id.nullable(),
  operatorName: z.string().nullable(),
  /** the Almaty day the contact started */
  day: z.string(),
  topicId: z.string().nullable(),
  count: z.number().int(),
  /** average duration of the closed ones, whole seconds (null when none closed) */
  averageSeconds: z.number().int().nullable(),
});
export type ContactsReportRow = z.infer<typeof contactsReportRow>;
export const contactsReportOutput = z.object({
  rows: z.array(contactsReportRow),
  total: z.number().int(),
  averageSeconds: z.number().int().nullable(),
});
export type ContactsReport = z.infer<typeof contactsReportOutput>;
export const contactsCsvInput = contactsReportInput.extend({ language: z.enum(['ru', 'kk', 'en']) }).strict();
export const contactsCsvOutput = z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() });

export const contactTopicsListOutput = z.object({ topics: z.array(contactTopicSchema) });
export const contactTopicsSaveInput = z
  .object({ topicId: topicIdSchema.optional(), names: topicNamesSchema, active: z.boolean().default(true) })
  .strict();

/** The outbox's arguments of the three mutations (the service checks them again with these schemas). */
export const contactMutationArgs = {
  /** A contact begun at a desk; the service stamps it with the desk's office (never the desk's word). */
  'contacts.open': z
    .object({
      contactId: contactIdSchema,
      channel: z.enum(contactChannels),
      accountId: id.nullable(),
      startedAt: instantText,
    })
    .strict(),
  /** Its end: the account it concerned, the topic and note, and what was done meanwhile. */
  'contacts.close': z
    .object({
      contactId: contactIdSchema,
      endedAt: instantText,
      accountId: id.nullable(),
      topicId: topicIdSchema.nullable(),
      note: contactNoteSchema.nullable(),
      actions: contactActionsSchema,
    })
    .strict(),
  /** A topic added or changed by an administrator (every office's list). */
  'contactTopics.save': z
    .object({
      topicId: topicIdSchema,
      names: topicNamesSchema,
      active: z.boolean(),
      position: z.number().int().min(0).max(1000),
    })
    .strict(),
};
