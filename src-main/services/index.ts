// Builds every service over one store and wires them to the contract's operation names.
// This is the table of contents of what the app can do; transports only call `dispatch`.
import { createAccountsService } from './accounts';
import { createAppService } from './app';
import { createAuditService } from './audit';
import type { ServiceContext } from './context';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch';
import { createLookupService } from './lookup';
import { createMailService } from './mail';
import { createReadingsService } from './readings';
import { createSettingsService } from './settings';
import { createStatementsService } from './statements';
import { createStatementMailer } from './statements/mailer';
import { createSyncEngine, identityOf, type Fetch } from './sync';
import { createRejectedChanges } from './sync/rejected';
import { createSubscriptionsService } from './subscriptions';
import { createCentralClient } from './central-client';
import { createWebAccountsService } from './web-accounts';
import { createAccessGate, type Gate } from './access';
import { createOperatorsService } from './operators';
import { createStatementPrinting, type StatementPrinter } from './printing';
import { createSessionService, type SessionService } from './session';
import { createEnrolmentService } from './enrolment';
import { createMailingService } from './mailing';
import { createHistoryService } from './history';
import { createNotesService } from './notes';
import { createContactTopics } from './contact-topics';
import { createContactsService } from './contacts';
import { contactsCsv } from './contacts-csv';
import { createContactsLog } from './contacts-log';
import { createRoundService } from './round';
import { createDebtsService } from './debts';
import { createRequisitesReader, createUtilityService } from './utility';

export interface Services {
  /** Every operation with an explicit caller (tests, background work). */
  dispatch: Dispatcher;
  /** What the windows call (IPC, web shell): the signed-in operator's door, with role checks. */
  gate: Gate;
  session: SessionService;
  settings: ReturnType<typeof createSettingsService>;
  mail: ReturnType<typeof createMailService>;
  lookup: ReturnType<typeof createLookupService>;
  sync: ReturnType<typeof createSyncEngine>;
}

export interface ServicesOptions {
  log?: (message: string, error: unknown) => void;
  fetch?: Fetch;
  pullPageSize?: number;
  /** The built page-applying worker (sync-worker.ts); without it pages are applied on this thread. */
  syncWorker?: string | URL;
  /** Called after every successful mutation (the sync loop pushes soon after a local change). */
  afterMutation?: (name: string) => void;
  /** The shell's printer (Electron's print dialog); without one statements.print answers 'browser'. */
  printer?: StatementPrinter;
  /** The built batch-PDF worker (debts/batch-worker.ts); by default its source through tsx. */
  batchWorker?: string | URL;
}

export function createServices(ctx: ServiceContext, options: ServicesOptions = {}): Services {
  const { log } = options;
  const app = createAppService(ctx);
  const settings = createSettingsService(ctx);
  const readings = createReadingsService(ctx, settings);
  const mail = createMailService(ctx, settings);
  const subscriptions = createSubscriptionsService(ctx);
  const audit = createAuditService(ctx);
  const lookup = createLookupService(ctx);
  const accounts = createAccountsService(ctx);
  const accountHistory = createHistoryService(ctx);
  const notes = createNotesService(ctx);
  const contactTopics = createContactTopics(ctx);
  const contacts = createContactsService(ctx, contactTopics);
  const contactsLog = createContactsLog(ctx);
  const round = createRoundService(ctx, settings);
  const statements = createStatementsService(ctx, settings);
  const statementMailer = createStatementMailer(ctx, statements, mail);
  const debts = createDebtsService(ctx, settings, statements, mail, {
    printer: options.printer,
    worker: options.batchWorker,
  });
  const printing = createStatementPrinting(statements, options.printer);
  const identity = identityOf(ctx.db);
  const central = createCentralClient(settings, options.fetch, () => identity.token());
  const enrolment = createEnrolmentService(ctx, settings, central, identity);
  const session = createSessionService(ctx, settings, central, identity, enrolment.needed);
  const operators = createOperatorsService(central, session);
  const utility = createUtilityService(ctx, central, session, createRequisitesReader(ctx.db, settings));
  const web = createWebAccountsService(ctx, central, session);
  const mailing = createMailingService(central, session);
  const sync = createSyncEngine(ctx, settings, central, identity, {
    pullPageSize: options.pullPageSize,
    pageWorker: options.syncWorker,
    onDataChanged: () => lookup.invalidate(),
  });
  const rejected = createRejectedChanges(ctx, ctx.db, () => sync.emit());

  const handlers: Handlers = {
    'app.info': () => app.info(),
    'session.get': (_, call) => session.state(call.client),
    'session.signIn': ({ login, password }, call) => session.signIn(login, password, call.client),
    'session.signOut': (_, call) => session.signOut(call.client),
    'session.lock': (_, call) => session.lock(call.client),
    'session.unlock': ({ password }, call) => session.unlock(password, call.client),
    'session.reconnect': ({ password }, call) => session.reconnect(password, call.client),
    'session.touch': (_, call) => session.state(call.client),
    'desk.enroll': (input, call) => enrolment.enroll(input, call),
    'operators.list': async (_, call) => ({ operators: await operators.list(call) }),
    'operators.create': async (input, call) => ({ operators: await operators.create(input, call) }),
    'operators.update': async (input, call) => ({ operators: await operators.update(input, call) }),
    'settings.testCentral': ({ url, officeKey }) =>
      operators.testCentral(url, officeKey ?? settings.get().settings.central.officeKey),
    'accounts.revealIin': ({ accountId }, call) => accounts.revealIin(accountId, call),
    'sync.resolve': (input, call) => rejected.resolve(input, call.operatorId),
    'settings.get': (_, call) => settings.view(call),
    'settings.set': (patch, call) => settings.set(patch, call),
    'utility.get': () => utility.get(),
    'utility.set': (input, call) => utility.set(input, call),
    'lookup.search': (input) => lookup.search(input),
    'lookup.streets': ({ text, limit }) => lookup.streets(text, limit),
    'accounts.get': ({ accountId }) => accounts.get(accountId),
    'accounts.history': ({ accountId, months }) => accountHistory.history(accountId, months),
    'accountNotes.list': ({ accountId }) => notes.list(accountId),
    'accountNotes.add': (input, call) => notes.add(input, call),
    'accountNotes.remove': (input, call) => notes.remove(input, call),
    'contacts.open': (input, call) => contacts.open(input, call),
    'contacts.close': (input, call) => contacts.close(input, call),
    'contacts.current': (_, call) => contacts.current(call),
    'contacts.list': ({ accountId, limit }) => contactsLog.list(accountId, limit),
    'contacts.report': (filter) => contactsLog.report(filter),
    'contacts.csv': ({ language, ...filter }) =>
      contactsCsv(contactsLog.report(filter), contactTopics.list().topics, filter, language),
    'contactTopics.list': () => contactTopics.list(),
    'contactTopics.save': (input, call) => contactTopics.save(input, call),
    'readings.list': ({ accountId }) => readings.list(accountId),
    'readings.submit': (input, call) => readings.submit(input, call),
    'readings.history': ({ accountId, meterId }) => readings.history(accountId, meterId),
    'readings.importCheck': (input) => round.preview(input),
    'readings.importApply': (input, call) => round.apply(input, call),
    'debts.list': (input) => debts.list(input),
    'debts.batchPdf': (input, call) => debts.batchPdf(input, call),
    'debts.batchMail': (input, call) => debts.batchMail(input, call),
    'meters.replace': (input, call) => readings.replace(input, call),
    'readings.held': ({ limit }) => readings.held(limit),
    'readings.review': (input, call) => readings.review(input, call),
    'subscriptions.get': ({ accountId }) => subscriptions.get(accountId),
    'subscriptions.set': (input, call) => subscriptions.set(input, call),
    'audit.list': (filter) => audit.list(filter),
    'audit.csv': (filter) => audit.csv(filter),
    'audit.operators': () => audit.operators(),
    'mail.outbox': ({ limit }) => mail.outbox(limit),
    'mail.test': ({ to }) => mail.test(to),
    'mail.send': (input, call) => statementMailer.send(input, call),
    'mail.resend': (input, call) => mail.resend('id' in input ? input.id : null, call),
    'mailing.start': ({ period }, call) => mailing.start(period, call),
    'mailing.status': (_input, call) => mailing.status(call),
    'mailing.pause': (_input, call) => mailing.pause(call),
    'mailing.resume': (_input, call) => mailing.resume(call),
    'mailing.cancel': (_input, call) => mailing.cancel(call),
    'sync.status': () => sync.status(),
    'sync.now': () => sync.syncNow(),
    'sync.pending': ({ limit }) => rejected.pending(limit),
    'sync.rejected': () => rejected.list(),
    'sync.events': () => rejected.events(),
    'statements.breakdown': (input) => statements.breakdown(input),
    'statements.reconciliation': (input) => statements.reconciliation(input),
    'statements.breakdownPdf': (input) => statements.breakdownPdf(input),
    'statements.reconciliationPdf': (input) => statements.reconciliationPdf(input),
    'statements.print': (input, call) => printing.print(input, call),
    'web.status': ({ accountId }, call) => web.status(accountId, call),
    'web.register': (input, call) => web.register(input, call),
    'web.resend': ({ accountId }, call) => web.resend(accountId, call),
    'web.reset': ({ accountId, by }, call) => web.reset(accountId, by, call),
    'web.changeEmail': ({ accountId, email }, call) => web.changeEmail(accountId, email, call),
    'web.block': ({ accountId, reason }, call) => web.block(accountId, reason, call),
    'web.unblock': ({ accountId }, call) => web.unblock(accountId, call),
  };

  const dispatch = createDispatcher(handlers, {
    events: ctx.events,
    log,
    afterMutation: (name) => options.afterMutation?.(name),
    // What the operator did goes into the contact they have open (the one place contacts are collected).
    afterCall: (name, input, result, call) => contacts.observe(name, input, result, call),
  });
  return { dispatch, gate: createAccessGate(ctx, dispatch, session), session, settings, mail, lookup, sync };
}
