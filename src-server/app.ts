// The central service's HTTP API (Fastify): /health, POST /v1/push, GET /v1/pull. Offices
// authenticate with their key (Bearer); errors are the contract's `{ code, message, details }`.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { AppError, HTTP_STATUS, validationError } from '../src-shared/errors';
import { pullQuerySchema, pushRequestSchema } from '../src-shared/schemas/sync';
import type { ServerDb } from './db';
import { pullPageJson } from './pull';
import { applyPush, type Office } from './push';

const STATUS = HTTP_STATUS;

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

function send(reply: FastifyReply, error: AppError) {
  return reply.code(STATUS[error.code]).send({ ok: false, error: error.toJSON() });
}

export interface ServerOptions {
  db: ServerDb;
  logger?: boolean | object;
  now?: () => Date;
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { db } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_BODY_BYTES });
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

  return app;
}
