// The central service's HTTP API (Fastify): /health, POST /v1/push, GET /v1/pull. Offices
// authenticate with their key (Bearer); errors are the contract's `{ code, message, details }`.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { AppError, HTTP_STATUS, validationError } from '../src-shared/errors';
import { pullQuerySchema, pushRequestSchema } from '../src-shared/schemas/sync';
import type { ServerDb } from './db';
import { pullPageJson } from './pull';
import { applyPush, type Office } from './push';
import { webOperatorActions, webOperatorEnvelope, type WebOperatorAction } from '../src-shared/schemas/web';
import { createServerMailer, type ServerMailer } from './mailer';
import { createWebAccounts, type Actor, type WebAccounts } from './web/accounts';
import type { z } from 'zod';
import { DEFAULT_PAGE_LIMITS, registerCustomerPages, type PageLimits } from './web/pages';

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

export function buildServer(options: ServerOptions): FastifyInstance & { web: WebAccounts } {
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

  // Operator actions on a customer's web account: they need the connection and are never queued.
  app.post<{ Params: { action: string } }>('/v1/web/:action', async (request, reply) => {
    const office = await officeOf(request.headers.authorization);
    const action = request.params.action as WebOperatorAction;
    if (!Object.prototype.hasOwnProperty.call(webOperatorActions, action)) return send(reply, new AppError('NOT_FOUND', 'No such web account action'));
    const envelope = webOperatorEnvelope.safeParse(request.body);
    if (!envelope.success) return send(reply, validationError(envelope.error));
    const parsed = webOperatorActions[action].safeParse(envelope.data.input);
    if (!parsed.success) return send(reply, validationError(parsed.error));
    const actor = { office, operatorId: envelope.data.operatorId };
    const run = webActions[action] as (actor: Actor, input: unknown) => Promise<unknown>;
    return { ok: true, result: await run(actor, parsed.data) };
  });

  return Object.assign(app, { web });
}
