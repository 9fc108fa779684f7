// The central service's HTTP API (Fastify): /health; for desks /v1/hello, /v1/clients (a desk's
// identity), /v1/push, /v1/pull and /v1/audit; operators' sign-in and administration; operator actions
// on customers' web accounts; and the customers' own pages. Desks authenticate with the credentials the
// service issued them (an office key only to register), operators with a session (X-Operator-Session);
// every desk request carries the protocol version; errors are the contract's `{ code, message, details }`.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError, HTTP_STATUS, validationError } from '../src-shared/errors';
import { MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../src-shared/replication/model';
import {
  auditUploadInput,
  deskEnrollRequest,
  helloRequestSchema,
  pullQuerySchema,
  pushRequestSchema,
  registerClientSchema,
  type HelloResponse,
} from '../src-shared/schemas/sync';
import type { ServerDb } from './db';
import { pullPageJson, scopeId } from './pull';
import { applyPush } from './push';
import { webOperatorActions, webOperatorEnvelope, type WebOperatorAction } from '../src-shared/schemas/web';
import { createServerMailer, type ServerMailer } from './mailer';
import { createWebAccounts, type Actor, type WebAccounts } from './web/accounts';
import { z } from 'zod';
import { DEFAULT_PAGE_LIMITS, registerCustomerPages, type PageLimits } from './web/pages';
import { operatorCreateInput, operatorUpdateInput, signInInput } from '../src-shared/schemas/operators';
import { createOperators, type Operators } from './operators';
import { authenticate, enrollDesk, registerClient, requireDesk, type Caller } from './offices';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { rolesFor } from '../src-shared/access';
import { uploadAudit } from './audit-upload';
import { createMailingJobs, type MailingJobs } from './mailing-jobs';
import type { MailingOptions } from './mailing';
import { mailingStartInput } from '../src-shared/schemas/mailing';
import { readRequisites, writeRequisites } from './utility';
import { requisitesFromUtility, type Requisites } from '../src-shared/schemas/utility';

const STATUS = HTTP_STATUS;

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

function send(reply: FastifyReply, error: AppError) {
  return reply.code(STATUS[error.code]).send({ ok: false, error: error.toJSON() });
}

export interface ServerOptions {
  db: ServerDb;
  logger?: boolean | object;
  now?: () => Date;
  /** Outgoing mail (links, notices); default: nowhere (a test or a demo without SMTP). */
  mailer?: ServerMailer;
  /** Base URL of the customer pages in letters; a function when it is known only after listen(). */
  publicUrl?: string | (() => string);
  pageLimits?: PageLimits;
  /** the requisites printed until an administrator sets them (AQUADESK_UTILITY), else the built-in ones */
  requisites?: Requisites;
  /**
   * Which proxy in front may say who the client is (X-Forwarded-For: the per-IP limits of the customer
   * pages) and whether it came over HTTPS (X-Forwarded-Proto: HSTS): Fastify's `trustProxy` (true,
   * addresses/CIDRs, or a function of address and hop). Default: the TRUST_PROXY environment variable
   * ("true", a hop count, or a comma-separated list of addresses), else none: the socket's own address
   * and protocol.
   */
  trustProxy?: boolean | string | string[] | ((address: string, hop: number) => boolean);
  /** What the desk-started mailing jobs are told (utility, fonts, concurrency); the public URL is this service's. */
  mailing?: Omit<
    MailingOptions,
    'period' | 'now' | 'signal' | 'onProgress' | 'onStart' | 'gate' | 'districtIds' | 'automatic' | 'publicUrl'
  >;
  /** how often a running mailing job says it is alive, and after how long without it it is interrupted */
  mailingJobs?: { heartbeatMs?: number; staleAfterMs?: number };
}

/** TRUST_PROXY as Fastify's `trustProxy`: unset or "false" → false, "true" → true, "2" → the 2 nearest hops, else addresses. */
export function trustProxyOf(value: string | undefined): NonNullable<ServerOptions['trustProxy']> {
  const text = value?.trim() ?? '';
  if (!text || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address, hop) => hop < hops;
  }
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Sent on every answer that went out over HTTPS (browsers ignore it over plain HTTP, and so do we). */
export const HSTS = 'max-age=31536000; includeSubDomains';

export function buildServer(
  options: ServerOptions,
): FastifyInstance & { web: WebAccounts; operators: Operators; mailingJobs: MailingJobs } {
  const { db } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: options.trustProxy ?? trustProxyOf(process.env['TRUST_PROXY']),
  });
  const publicUrl = options.publicUrl ?? 'http://127.0.0.1:8787';
  const web = createWebAccounts({
    db,
    mailer: options.mailer ?? createServerMailer({}),
    publicUrl: typeof publicUrl === 'function' ? publicUrl : () => publicUrl,
    now: options.now ?? (() => new Date()),
  });
  registerCustomerPages(app, web, options.pageLimits ?? DEFAULT_PAGE_LIMITS, options.now ?? (() => new Date()));
  const operators = createOperators({ db, now: options.now ?? (() => new Date()) });
  const mailingJobs = createMailingJobs({
    db,
    mailer: options.mailer ?? createServerMailer({}),
    now: options.now ?? (() => new Date()),
    ...options.mailingJobs,
    mailing: () => ({ ...options.mailing, publicUrl: typeof publicUrl === 'function' ? publicUrl() : publicUrl }),
    onReport: (office, report) =>
      app.log.info(
        {
          office: office.id,
          period: report.period,
          sent: report.sent,
          failed: report.failed,
          alreadySent: report.alreadySent,
        },
        'mailing job over',
      ),
    onError: (office, error) => app.log.error({ office: office.id, err: error }, 'mailing job failed'),
  });
  app.addHook('onClose', () => mailingJobs.stopAll());
  type Input<A extends WebOperatorAction> = z.output<(typeof webOperatorActions)[A]>;
  const webActions: { [A in WebOperatorAction]: (actor: Actor, input: Input<A>) => Promise<unknown> } = {
    status: (actor, input) => web.operator.status(actor, input.accountId),
    register: (actor, input) => web.operator.register(actor, input),
    resend: (actor, input) => web.operator.resend(actor, input.accountId),
    reset: (actor, input) => web.operator.reset(actor, input.accountId, input.by),
    changeEmail: (actor, input) => web.operator.changeEmail(actor, input.accountId, input.email),
    block: (actor, input) => web.operator.block(actor, input.accountId, input.reason),
    unblock: (actor, input) => web.operator.unblock(actor, input.accountId),
  };
  const now = options.now ?? (() => new Date());
  const callerOf = (request: FastifyRequest): Promise<Caller> => authenticate(db, request.headers.authorization);

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof AppError) return send(reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, new AppError('TOO_LARGE', 'Request body too large'));
    if ((error.statusCode ?? 500) < 500) return send(reply, new AppError('BAD_REQUEST', error.message));
    request.log.error(error);
    return send(reply, new AppError('INTERNAL', 'Internal error'));
  });

  // Every desk request says which protocol it speaks; a desk older than the service's minimum is told
  // to update (and changes nothing), whatever it asked.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const version = Number(request.headers[PROTOCOL_HEADER] ?? 1);
    if (!Number.isInteger(version) || version < MIN_PROTOCOL_VERSION) {
      return send(
        reply,
        new AppError('UPGRADE_REQUIRED', 'This AquaDesk is too old for the central service: update it', {
          reason: 'sync.desktopTooOld',
          minimum: MIN_PROTOCOL_VERSION,
          protocol: PROTOCOL_VERSION,
        }),
      );
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/v1/')) reply.header(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
    // request.protocol is the socket's, or X-Forwarded-Proto only from a trusted proxy (trustProxy).
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    return payload;
  });

  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error);
    return parsed.data;
  };

  app.get('/health', async () => {
    await db.query('SELECT 1');
    return { ok: true, db: db.kind, protocol: PROTOCOL_VERSION };
  });

  // The start of a desk's sync run: what each side holds, so either can tell the other was restored.
  app.post('/v1/hello', async (request) => {
    const caller = await callerOf(request);
    const input = parse(helloRequestSchema, request.body);
    const own = caller.clientId !== null && input.clientId === caller.clientId;
    const client = own
      ? (
          await db.query<{ last_seq: number }>('SELECT last_seq FROM clients WHERE client_id = $1', [caller.clientId])
        )[0]
      : undefined;
    const audit = own
      ? (
          await db.query<{ n: number | null }>('SELECT max(local_id) AS n FROM server_audit WHERE client_id = $1', [
            caller.clientId,
          ])
        )[0]?.n
      : 0;
    const latest = (await db.query<{ v: number }>('SELECT last_value AS v FROM row_version'))[0]?.v ?? 0;
    const result: HelloResponse = {
      protocol: PROTOCOL_VERSION,
      lastSeq: client ? Number(client.last_seq) : null,
      auditThrough: Number(audit ?? 0),
      latest: Number(latest),
      scope: scopeId(caller.office),
      office: { id: caller.office.id, name: caller.office.name },
    };
    return { ok: true, result };
  });

  // A desk's identity: issued on its first connection, and again when its data folder turns out to
  // have been restored or copied (with the id it had before, whose operators carry over).
  app.post('/v1/clients', async (request) => {
    const caller = await callerOf(request);
    const input = parse(registerClientSchema, request.body);
    const previous = input.previousClientId;
    if (previous && caller.clientId && previous !== caller.clientId)
      throw new AppError('FORBIDDEN', 'A desk renews only its own identity', { reason: 'sync.notYourDesk' });
    return {
      ok: true,
      result: await registerClient(db, caller.office, {
        firstSeq: input.firstSeq,
        previousClientId: previous,
        reason: input.reason,
      }),
    };
  });

  // `desk.enroll`: the one request without credentials (the code is them). Tries are limited per
  // address: 80-bit codes cannot be guessed, but nobody should be able to keep trying.
  const enrolTries = new RateLimiterMemory({ keyPrefix: 'enrol', points: 20, duration: 15 * 60 });
  app.post('/v1/desks/enroll', async (request) => {
    try {
      await enrolTries.consume(request.ip);
    } catch {
      throw new AppError('FORBIDDEN', 'Too many enrolment attempts from this address: try again in 15 minutes', {
        reason: 'enrol.tooManyTries',
      });
    }
    const input = parse(deskEnrollRequest, request.body);
    const enrolled = await enrollDesk(db, input, now());
    request.log.info({ clientId: enrolled.clientId, office: enrolled.office.id }, 'desk enrolled');
    return { ok: true, result: enrolled };
  });

  app.post('/v1/push', async (request, reply) => {
    const caller = await callerOf(request);
    requireDesk(caller);
    const parsed = pushRequestSchema.safeParse(request.body);
    if (!parsed.success) return send(reply, validationError(parsed.error));
    const result = await applyPush(db, caller, parsed.data, now);
    request.log.info(
      { clientId: parsed.data.clientId, mutations: parsed.data.mutations.length, lastSeq: result.lastSeq },
      'push',
    );
    return { ok: true, result };
  });

  app.get('/v1/pull', async (request, reply) => {
    const caller = await callerOf(request);
    const parsed = pullQuerySchema.safeParse(request.query);
    if (!parsed.success) return send(reply, validationError(parsed.error));
    const page = await pullPageJson(db, caller.office, parsed.data.cursor, parsed.data.limit);
    return reply.type('application/json').send(`{"ok":true,"result":${page}}`);
  });

  /** The desk (its credentials) and the signed-in operator (X-Operator-Session) behind a request. */
  async function operatorOf(request: FastifyRequest) {
    const caller = await callerOf(request);
    const operator = await operators.operatorOf(caller, request.headers['x-operator-session']);
    return { caller, office: caller.office, operator };
  }

  // Operator actions on a customer's web account: they need the connection and are never queued.
  // The action is named as the desk's operation is (web.changeEmail → /v1/web/changeEmail); 'email' is
  // what desks before 0.2 send for it.
  const LEGACY_WEB_ACTIONS: Record<string, WebOperatorAction> = { email: 'changeEmail' };
  app.post<{ Params: { action: string } }>('/v1/web/:action', async (request, reply) => {
    const action = (LEGACY_WEB_ACTIONS[request.params.action] ?? request.params.action) as WebOperatorAction;
    if (!Object.prototype.hasOwnProperty.call(webOperatorActions, action))
      return send(reply, new AppError('NOT_FOUND', 'No such web account action'));
    const { office, operator } = await operatorOf(request);
    const envelope = parse(webOperatorEnvelope, request.body);
    const input = parse(webOperatorActions[action] as z.ZodType<unknown>, envelope.input);
    const run = webActions[action] as (actor: Actor, input: unknown) => Promise<unknown>;
    return { ok: true, result: await run({ office, operatorId: operator.id }, input) };
  });

  // Operators: sign-in from a desktop, sign-out, the administrator's list, desktops' audit entries.
  app.post('/v1/auth/sign-in', async (request) => {
    const caller = await callerOf(request);
    const input = parse(signInInput, request.body);
    return { ok: true, result: await operators.signIn(caller, input.login, input.password) };
  });
  app.post('/v1/auth/sign-out', async (request) => {
    await callerOf(request);
    await operators.signOut(request.headers['x-operator-session']);
    return { ok: true, result: {} };
  });
  app.get('/v1/office', async (request) => ({
    ok: true,
    result: await operators.office((await callerOf(request)).office),
  }));
  app.get('/v1/operators', async (request) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, rolesFor('operators.list'), 'operators.list');
    return { ok: true, result: { operators: await operators.list(office) } };
  });
  app.post('/v1/operators', async (request) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, rolesFor('operators.create'), 'operators.create'); // before the body is even looked at
    return {
      ok: true,
      result: { operators: await operators.create(office, operator, parse(operatorCreateInput, request.body)) },
    };
  });
  app.post('/v1/operators/update', async (request) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, rolesFor('operators.update'), 'operators.update');
    return {
      ok: true,
      result: { operators: await operators.update(office, operator, parse(operatorUpdateInput, request.body)) },
    };
  });
  // The utility's requisites: any desk reads them (they also replicate), an administrator replaces them.
  app.get('/v1/utility', async (request) => {
    await callerOf(request);
    const started = options.mailing?.utility; // AQUADESK_UTILITY, as the mailing prints it until they are set
    return {
      ok: true,
      result: await readRequisites(
        db,
        options.requisites ?? (started ? ('words' in started ? started : requisitesFromUtility(started)) : undefined),
      ),
    };
  });
  app.post('/v1/utility', async (request) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, rolesFor('utility.set'), 'utility.set');
    const result = await writeRequisites(db, request.body, now());
    await db.query(
      "INSERT INTO server_audit (at, office_id, operator_id, account_id, operation, result, details) VALUES ($1, $2, $3, NULL, 'utility.set', 'ok', $4)",
      [now(), office.id, operator.id, JSON.stringify({ bin: result.requisites.bin, iban: result.requisites.iban })],
    );
    return { ok: true, result };
  });
  // The monthly mailing as a job for the office's districts (a supervisor's, from the desk).
  const supervising = async (
    request: FastifyRequest,
    operation: 'mailing.start' | 'mailing.status' | 'mailing.pause' | 'mailing.resume' | 'mailing.cancel',
  ) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, rolesFor(operation), operation);
    return { office, operator };
  };
  app.post('/v1/mailing/start', async (request) => {
    const { office, operator } = await supervising(request, 'mailing.start');
    return {
      ok: true,
      result: await mailingJobs.start(office, operator.login, parse(mailingStartInput, request.body ?? {})),
    };
  });
  app.get('/v1/mailing', async (request) => ({
    ok: true,
    result: await mailingJobs.status((await supervising(request, 'mailing.status')).office),
  }));
  app.post('/v1/mailing/pause', async (request) => ({
    ok: true,
    result: await mailingJobs.pause((await supervising(request, 'mailing.pause')).office),
  }));
  app.post('/v1/mailing/resume', async (request) => ({
    ok: true,
    result: await mailingJobs.resume((await supervising(request, 'mailing.resume')).office),
  }));
  app.post('/v1/mailing/cancel', async (request) => ({
    ok: true,
    result: await mailingJobs.cancel((await supervising(request, 'mailing.cancel')).office),
  }));

  app.post('/v1/audit', async (request) => {
    const caller = await callerOf(request);
    const clientId = requireDesk(caller);
    const input = parse(auditUploadInput, request.body);
    if (input.clientId !== clientId)
      throw new AppError('FORBIDDEN', 'A desk uploads only its own audit entries', { reason: 'sync.notYourDesk' });
    return { ok: true, result: await uploadAudit(db, caller, clientId, input.entries) };
  });

  return Object.assign(app, { web, operators, mailingJobs });
}
