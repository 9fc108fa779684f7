// The one contract: every operation the renderer may call, named `area.verb`, with zod schemas for
// its input and output. IPC (src-main/electron/ipc.ts), the preload bridge and the web shell
// (src-main/web-shell) are all generated from this list; the renderer's client is typed by it.
import { z } from 'zod';
import { appInfoSchema } from './schemas/app';
import { auditFilterSchema, auditListOutput, auditOperatorsOutput } from './schemas/audit';
import {
  accountCardSchema,
  accountsGetInput,
  lookupSearchInput,
  lookupSearchOutput,
  lookupStreetsInput,
  lookupStreetsOutput,
} from './schemas/lookup';
import {
  mailChangedEvent,
  mailOutboxInput,
  mailOutboxOutput,
  mailResendInput,
  mailResendOutput,
  mailSendInput,
  mailSendOutput,
  mailTestInput,
  mailTestOutput,
} from './schemas/mail';
import {
  breakdownInput,
  breakdownPdfInput,
  breakdownSchema,
  reconciliationInput,
  reconciliationPdfInput,
  reconciliationSchema,
  statementPdfSchema,
  statementPrintInput,
  statementPrintOutput,
} from './schemas/statements';
import {
  metersReplaceInput,
  metersReplaceOutput,
  readingsHeldInput,
  readingsHeldOutput,
  readingsHistoryInput,
  readingsHistoryOutput,
  readingsListInput,
  readingsListOutput,
  readingsReviewInput,
  readingsReviewOutput,
  readingsSubmitInput,
  readingsSubmitOutput,
} from './schemas/readings';
import { settingsPatchSchema, settingsResultSchema } from './schemas/settings';
import {
  deskEnrollInput,
  deskEnrollResult,
  pendingChangesInput,
  pendingChangesOutput,
  rejectedChangesOutput,
  syncEventsOutput,
  syncResolveInput,
  syncStatusSchema,
} from './schemas/sync';
import {
  officeInfoSchema,
  operatorCreateInput,
  operatorListOutput,
  operatorUpdateInput,
  sessionStateSchema,
  signInInput,
  unlockInput,
} from './schemas/operators';
import { centralUrlSchema } from './schemas/settings';
import { text } from './schemas/text';
import {
  webActionOutput,
  webAccountStateSchema,
  webBlockInput,
  webChangeEmailInput,
  webRegisterInput,
  webResendInput,
  webResetInput,
  webStatusInput,
  webUnblockInput,
} from './schemas/web';
import { subscriptionsGetInput, subscriptionsSetInput, subscriptionStateSchema } from './schemas/subscriptions';
import { accountsHistoryInput, accountsHistoryOutput } from './schemas/history';
import {
  accountNotesAddInput,
  accountNotesListInput,
  accountNotesListOutput,
  accountNotesRemoveInput,
} from './schemas/notes';
import {
  contactsCloseInput,
  contactsCsvInput,
  contactsCsvOutput,
  contactsCurrentOutput,
  contactsListInput,
  contactsListOutput,
  contactsOpenInput,
  contactsReportInput,
  contactsReportOutput,
  contactTopicsListOutput,
  contactTopicsSaveInput,
} from './schemas/contacts';
import { roundApplyInput, roundApplyOutput, roundCheckOutput, roundFileInput } from './schemas/round';
import { mailingJobInput, mailingJobSchema, mailingStartInput, mailingStatusOutput } from './schemas/mailing';
import { requisitesInputSchema, utilityStateSchema } from './schemas/utility';
import {
  batchMailInput,
  batchMailOutput,
  batchPdfInput,
  batchPdfOutput,
  debtsListInput,
  debtsListOutput,
} from './schemas/debts';

interface OperationSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** A mutation changes data; it is written locally first and, where it syncs, through the outbox. */
  mutation: boolean;
}

function query<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): OperationSpec<I, O> {
  return { input, output, mutation: false };
}
function mutation<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): OperationSpec<I, O> {
  return { input, output, mutation: true };
}

const empty = z.object({}).strict();

export const contract = {
  'app.info': query(empty, appInfoSchema),
  // The operator at this PC: sign-in (central service, or this PC's verifier offline), idle lock.
  'session.get': query(empty, sessionStateSchema),
  'session.signIn': query(signInInput, sessionStateSchema),
  'session.signOut': query(empty, sessionStateSchema),
  'session.lock': query(empty, sessionStateSchema),
  'session.unlock': query(unlockInput, sessionStateSchema),
  'session.reconnect': query(unlockInput, sessionStateSchema),
  'session.touch': query(empty, sessionStateSchema),
  // A new desk's first run: the service's address and a one-time code give this PC its credentials.
  'desk.enroll': mutation(deskEnrollInput, deskEnrollResult),
  'operators.list': query(empty, operatorListOutput),
  'operators.create': mutation(operatorCreateInput, operatorListOutput),
  'operators.update': mutation(operatorUpdateInput, operatorListOutput),
  // The key typed (not yet saved), or without one the key this desk keeps (never sent to the window).
  'settings.testCentral': query(
    z
      .object({
        url: centralUrlSchema.refine((url) => url !== '', { params: { i18n: 'settings.centralUrl' } }),
        officeKey: text({ max: 200, min: 8, trim: true }).optional(),
      })
      .strict(),
    officeInfoSchema,
  ),
  'settings.get': query(empty, settingsResultSchema),
  'settings.set': mutation(settingsPatchSchema, settingsResultSchema),
  // The utility's requisites: the service's (replicated); utility.set goes to the service, online only.
  'utility.get': query(empty, utilityStateSchema),
  'utility.set': mutation(requisitesInputSchema, utilityStateSchema),
  'lookup.search': query(lookupSearchInput, lookupSearchOutput),
  'lookup.streets': query(lookupStreetsInput, lookupStreetsOutput),
  'accounts.get': query(accountsGetInput, accountCardSchema),
  'accounts.revealIin': query(accountsGetInput, z.object({ iinBin: z.string() })),
  // The card's «История»: consumption by meter and month with the expected and the norm, money by month, payments.
  'accounts.history': query(accountsHistoryInput, accountsHistoryOutput),
  // Notes and flags on an account, in its header strip: anyone adds one, a supervisor removes one (through the outbox).
  'accountNotes.list': query(accountNotesListInput, accountNotesListOutput),
  'accountNotes.add': mutation(accountNotesAddInput, accountNotesListOutput),
  'accountNotes.remove': mutation(accountNotesRemoveInput, accountNotesListOutput),
  // The contact log («Обращения»): the operator's current contact (F4 closes it and opens the next, a
  // counter visit opens with the account), what was done during it collected by the desk; through the outbox.
  'contacts.open': mutation(contactsOpenInput, contactsCurrentOutput),
  'contacts.close': mutation(contactsCloseInput, contactsCurrentOutput),
  'contacts.current': query(empty, contactsCurrentOutput),
  'contacts.list': query(contactsListInput, contactsListOutput),
  // The supervisor's screen: contacts by operator, Almaty day and topic, counts and average duration; as CSV.
  'contacts.report': query(contactsReportInput, contactsReportOutput),
  'contacts.csv': query(contactsCsvInput, contactsCsvOutput),
  // The topics of a contact (ru/kk/en), every office's: an administrator keeps the list (through the outbox).
  'contactTopics.list': query(empty, contactTopicsListOutput),
  'contactTopics.save': mutation(contactTopicsSaveInput, contactTopicsListOutput),
  'readings.list': query(readingsListInput, readingsListOutput),
  'readings.submit': mutation(readingsSubmitInput, readingsSubmitOutput),
  'readings.history': query(readingsHistoryInput, readingsHistoryOutput),
  // A meter-reading round's CSV file: every row checked (nothing saved), then the accepted rows saved in one go.
  'readings.importCheck': query(roundFileInput, roundCheckOutput),
  'readings.importApply': mutation(roundApplyInput, roundApplyOutput),
  // The office's month (a supervisor's): the debt list of the office's districts and its batch actions.
  'debts.list': query(debtsListInput, debtsListOutput),
  // One PDF of many customers' breakdowns or debt notices, rendered in a worker: start, progress, cancel, the file.
  'debts.batchPdf': query(batchPdfInput, batchPdfOutput),
  // Each customer's letter through the mail outbox, once per mailing (claims per account).
  'debts.batchMail': mutation(batchMailInput, batchMailOutput),
  'meters.replace': mutation(metersReplaceInput, metersReplaceOutput),
  'readings.held': query(readingsHeldInput, readingsHeldOutput),
  'readings.review': mutation(readingsReviewInput, readingsReviewOutput),
  'subscriptions.get': query(subscriptionsGetInput, subscriptionStateSchema),
  'subscriptions.set': mutation(subscriptionsSetInput, subscriptionStateSchema),
  'audit.list': query(auditFilterSchema, auditListOutput),
  /** every entry of the filter (its limit and offset ignored, up to 100 000), for the CSV the screen writes */
  'audit.csv': query(auditFilterSchema, auditListOutput),
  'audit.operators': query(empty, auditOperatorsOutput),
  'mail.outbox': query(mailOutboxInput, mailOutboxOutput),
  'mail.test': mutation(mailTestInput, mailTestOutput),
  'mail.send': mutation(mailSendInput, mailSendOutput),
  'mail.resend': mutation(mailResendInput, mailResendOutput),
  // The monthly mailing as a job of the central service for this office's districts (online only).
  'mailing.start': mutation(mailingStartInput, mailingJobSchema),
  'mailing.status': query(mailingJobInput, mailingStatusOutput),
  'mailing.pause': mutation(mailingJobInput, mailingJobSchema),
  'mailing.resume': mutation(mailingJobInput, mailingJobSchema),
  'mailing.cancel': mutation(mailingJobInput, mailingJobSchema),
  'sync.status': query(empty, syncStatusSchema),
  'sync.now': mutation(empty, syncStatusSchema),
  'sync.pending': query(pendingChangesInput, pendingChangesOutput),
  'sync.rejected': query(empty, rejectedChangesOutput),
  'sync.resolve': mutation(syncResolveInput, rejectedChangesOutput),
  'sync.events': query(empty, syncEventsOutput),
  'statements.breakdown': query(breakdownInput, breakdownSchema),
  'statements.reconciliation': query(reconciliationInput, reconciliationSchema),
  'statements.breakdownPdf': query(breakdownPdfInput, statementPdfSchema),
  'statements.reconciliationPdf': query(reconciliationPdfInput, statementPdfSchema),
  // Printed by the shell (Electron: the system's print dialog); 'browser' where the shell has no printer.
  'statements.print': query(statementPrintInput, statementPrintOutput),
  // Customers' web accounts: each goes to the central service at once (never queued).
  'web.status': query(webStatusInput, webAccountStateSchema),
  'web.register': mutation(webRegisterInput, webActionOutput),
  'web.resend': mutation(webResendInput, webActionOutput),
  'web.reset': mutation(webResetInput, webActionOutput),
  'web.changeEmail': mutation(webChangeEmailInput, webActionOutput),
  'web.block': mutation(webBlockInput, webActionOutput),
  'web.unblock': mutation(webUnblockInput, webActionOutput),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<N extends OperationName> = z.input<Contract[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Contract[N]['output']>;
export type ParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;

export const operationNames = Object.keys(contract) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Server-sent events (IPC `aquadesk:event`, web shell SSE), each with its payload schema. */
export const events = {
  'settings.changed': settingsResultSchema,
  'sync.changed': syncStatusSchema,
  'session.changed': sessionStateSchema,
  'mail.changed': mailChangedEvent,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Largest JSON body a transport accepts (a PDF is returned, never sent, so 1 MiB is ample). */
export const MAX_REQUEST_BYTES = 1024 * 1024;
