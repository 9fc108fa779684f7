// The central service's HTTP API (Fastify): /health, POST /v1/push, GET /v1/pull, operators' sign-in
// and administration, desktops' audit uploads, operator actions on customers' web accounts, and the
// customers' own pages. Offices authenticate with their key (Bearer), operators with a session
// (X-Operator-Session); errors are the contract's `{ code, message, details }`.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError, HTTP_STATUS, validationError } from '../src-shared/errors';
import { pullQuerySchema, pushRequestSchema } from '../src-shared/schemas/sync';
import type { ServerDb } from './db';
import { pullPageJson } from './pull';
import { applyPush, type Office } from './push';
import { webOperatorActions, webOperatorEnvelope, type WebOperatorAction } from '../src-shared/schemas/web';
import { createServerMailer, type ServerMailer } from './mailer';
import { createWebAccounts, type Actor, type WebAccounts } from './web/accounts';
import { z } from 'zod';
import { DEFAULT_PAGE_LIMITS, registerCustomerPages, type PageLimits } from './web/pages';
import { auditUploadInput, operatorCreateInput, operatorUpdateInput, signInInput } from '../src-shared/schemas/operators';
import { createOperators, type Operators } from './operators';

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
}

export function buildServer(options: ServerOptions): FastifyInstance & { web: WebAccounts; operators: Operators } {
  const { db } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_BODY_BYTES });
  const publicUrl = options.publicUrl ?? 'http://127.0.0.1:8787';
  const web = createWebAccounts({
    db,
    mailer: options.mailer ?? createServerMailer({}),
    publicUrl: typeof publicUrl === 'function' ? publicUrl : () => publicUrl,
    now: options.now ?? (() => new Date()),
  });
  registerCustomerPages(app, web, options.pageLimits ?? DEFAULT_PAGE_LIMITS);
  const operators = createOperators({ db, now: options.now ?? (() => new Date()) });
  type Input<A extends WebOperatorAction> = z.output<(typeof webOperatorActions)[A]>;
  const webActions: { [A in WebOperatorAction]: (actor: Actor, input: Input<A>) => Promise<unknown> } = {
    status: (actor, input) => web.operator.status(actor, input.accountId),
    register: (actor, input) => web.operator.register(actor, input),
    resend: (actor, input) => web.operator.resend(actor, input.accountId),
    reset: (actor, input) => web.operator.reset(actor, input.accountId, input.by),
    email: (actor, input) => web.operator.changeEmail(actor, input.accountId, input.email),
    block: (actor, input) => web.operator.block(actor, input.accountId, input.reason),
    unblock: (actor, input) => web.operator.unblock(actor, input.accountId),
  };
  const offices = new Map<string, Office>();

  async function officeOf(header: string | undefined): Promise<Office> {
    const key = /^Bearer (\S{8,200})$/.exec(header ?? '')?.[1];
    if (!key) throw new AppError('UNAUTHORIZED', 'Missing office key');
    const cached = offices.get(key);
    if (cached) return cached;
    const rows = await db.query<{ key: string; district_ids: number[] | null }>('SELECT key, district_ids FROM offices WHERE key = $1', [key]);
    if (!rows.length) throw new AppError('UNAUTHORIZED', 'Unknown office key');
    const office = { key, districtIds: rows[0]!.district_ids?.map(Number) ?? null };
    offices.set(key, office);
    return office;
  }

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof AppError) return send(reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, new AppError('TOO_LARGE', 'Request body too large'));
    if ((error.statusCode ?? 500) < 500) return send(reply, new AppError('BAD_REQUEST', error.message));
    request.log.error(error);
    return send(reply, new AppError('INTERNAL', 'Internal error'));
  });

  app.get('/health', async () => {
    await db.query('SELECT 1');
    return { ok: true, db: db.kind };
  });

  app.post('/v1/push', async (request, reply) => {
    const office = await officeOf(request.headers.authorization);
    const parsed = pushRequestSchema.safeParse(request.body);
    if (!parsed.success) return send(reply, validationError(parsed.error));
    const result = await applyPush(db, office, parsed.data, options.now);
    request.log.info({ clientId: parsed.data.clientId, mutations: parsed.data.mutations.length, lastSeq: result.lastSeq }, 'push');
    return { ok: true, result };
  });

  app.get('/v1/pull', async (request, reply) => {
    const office = await officeOf(request.headers.authorization);
    const parsed = pullQuerySchema.safeParse(request.query);
    if (!parsed.success) return send(reply, validationError(parsed.error));
    const page = await pullPageJson(db, office, parsed.data.cursor, parsed.data.limit);
    return reply.type('application/json').send(`{"ok":true,"result":${page}}`);
  });

  /** The office (Bearer key) and the signed-in operator (X-Operator-Session) behind a request. */
  async function operatorOf(request: FastifyRequest) {
    const office = await officeOf(request.headers.authorization);
    const operator = await operators.operatorOf(office, request.headers['x-operator-session']);
    return { office, operator };
  }
  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error);
    return parsed.data;
  };

  // Operator actions on a customer's web account: they need the connection and are never queued.
  app.post<{ Params: { action: string } }>('/v1/web/:action', async (request, reply) => {
    const action = request.params.action as WebOperatorAction;
    if (!Object.prototype.hasOwnProperty.call(webOperatorActions, action)) return send(reply, new AppError('NOT_FOUND', 'No such web account action'));
    const { office, operator } = await operatorOf(request);
    const envelope = parse(webOperatorEnvelope, request.body);
    const input = parse(webOperatorActions[action] as z.ZodType<unknown>, envelope.input);
    const run = webActions[action] as (actor: Actor, input: unknown) => Promise<unknown>;
    return { ok: true, result: await run({ office, operatorId: operator.id }, input) };
  });

  // Operators: sign-in from a desktop, sign-out, the administrator's list, desktops' audit entries.
  app.post('/v1/auth/sign-in', async (request) => {
    const office = await officeOf(request.headers.authorization);
    const input = parse(signInInput, request.body);
    return { ok: true, result: await operators.signIn(office, input.login, input.password) };
  });
  app.post('/v1/auth/sign-out', async (request) => {
    await officeOf(request.headers.authorization);
    await operators.signOut(request.headers['x-operator-session']);
    return { ok: true, result: {} };
  });
  app.get('/v1/office', async (request) => ({ ok: true, result: await operators.office(await officeOf(request.headers.authorization)) }));
  app.get('/v1/operators', async (request) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, ['admin', 'supervisor'], 'operators.list');
    return { ok: true, result: { operators: await operators.list() } };
  });
  app.post('/v1/operators', async (request) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, ['admin'], 'operators.create'); // before the body is even looked at
    return { ok: true, result: { operators: await operators.create(office, operator, parse(operatorCreateInput, request.body)) } };
  });
  app.post('/v1/operators/update', async (request) => {
    const { office, operator } = await operatorOf(request);
    await operators.requireRole(office, operator, ['admin'], 'operators.update');
    return { ok: true, result: { operators: await operators.update(office, operator, parse(operatorUpdateInput, request.body)) } };
  });
  app.post('/v1/audit', async (request) => {
    const office = await officeOf(request.headers.authorization);
    return { ok: true, result: { stored: await operators.upload(office, parse(auditUploadInput, request.body)) } };
  });

  return Object.assign(app, { web, operators });
}
