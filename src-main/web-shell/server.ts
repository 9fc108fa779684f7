// The web shell: the same services behind HTTP on 127.0.0.1 only, for headless use and for
// end-to-end tests in Chromium. `POST /api/<operation>` with a JSON body; events over SSE at
// `GET /api/events`. Every /api request needs `Authorization: Bearer <token>` (a random per-start
// token); a missing or wrong one gets 401 and touches nothing. Each browser has its own operator
// session: `session.signIn` sets an HttpOnly, SameSite=Strict cookie (a new random id at every
// sign-in), which counts only together with the token; calls and the session's events go by it.
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { MAX_REQUEST_BYTES } from '../../src-shared/contract';
import { AppError, HTTP_STATUS } from '../../src-shared/errors';
import type { Services } from '../services';
import { isFor, type EventBus } from '../services/events';
import { RENDERER_CSP_HEADER } from '../../src-shared/csp';

/** The browser's operator session (its value is the session's id; the token is still required). */
export const SESSION_COOKIE = 'aquadesk_session';
const clientOf = (id: string) => `web:${id}`;

export interface WebShellOptions {
  services: Pick<Services, 'gate'>;
  events: EventBus;
  /** Folder of the built renderer (out/renderer); omitted in API-only tests. */
  rendererDir?: string;
  port?: number;
  token?: string;
  logger?: boolean;
}

export interface WebShell {
  app: FastifyInstance;
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const statusOf = HTTP_STATUS;

// The renderer's one CSP list (src-shared/csp.ts), the same the Electron app's protocol sends.
const CSP = RENDERER_CSP_HEADER;

function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  return reply.code(statusOf[error.code]).send({ ok: false, error: error.toJSON() });
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_REQUEST_BYTES });
  const streams = new Set<() => void>();
  // JSON only: a text/plain body would otherwise reach the dispatcher as a string.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);

  /** This browser's client: its session cookie, or a client of its own that has no session. */
  function clientOfRequest(request: FastifyRequest): string {
    const id = request.cookies[SESSION_COOKIE];
    return id && /^[\w-]{20,64}$/.test(id)
      ? clientOf(id)
      : clientOf(`anonymous-${randomBytes(12).toString('base64url')}`);
  }
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: false } as const; // 127.0.0.1 over plain HTTP

  function authorised(request: FastifyRequest): boolean {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // Authorise before the body is even read: an unauthorised request touches nothing.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/') && !authorised(request)) {
      return sendError(reply, new AppError('UNAUTHORIZED', 'Missing or wrong token'));
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendError(reply, new AppError('TOO_LARGE', 'Request body too large'));
    if ((error.statusCode ?? 500) < 500) return sendError(reply, new AppError('BAD_REQUEST', error.message));
    app.log.error(error);
    return sendError(reply, new AppError('INTERNAL', 'Internal error'));
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/'))
      return sendError(reply, new AppError('UNKNOWN_OPERATION', 'Unknown operation'));
    return reply.code(404).type('text/plain').send('Not found');
  });

  app.post<{ Params: { operation: string } }>('/api/:operation', async (request, reply) => {
    const operation = request.params.operation;
    const client = clientOfRequest(request);
    let outcome;
    if (operation === 'session.signIn') {
      // A new session id at every sign-in (never one a page was handed before); the browser's
      // previous operator, if any, is signed out once the new one is in.
      const id = randomBytes(24).toString('base64url');
      outcome = await options.services.gate(operation, request.body ?? {}, clientOf(id));
      if (outcome.ok) {
        await options.services.gate('session.signOut', {}, client);
        reply.setCookie(SESSION_COOKIE, id, cookieOptions);
      }
    } else {
      outcome = await options.services.gate(operation, request.body ?? {}, client);
      if (operation === 'session.signOut' && outcome.ok) reply.clearCookie(SESSION_COOKIE, cookieOptions);
    }
    if (outcome.ok) return reply.send(outcome);
    return reply.code(statusOf[outcome.error.code]).send(outcome);
  });

  app.get('/api/events', (request, reply) => {
    const client = clientOfRequest(request);
    reply.hijack();
    reply.raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    reply.raw.write(': connected\n\n');
    const unsubscribe = options.events.subscribe((name, payload, to) => {
      if (isFor(to, client)) reply.raw.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
      reply.raw.end();
    };
    streams.add(end);
    request.raw.on('close', end);
  });

  if (options.rendererDir && existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html' });
  }

  // 127.0.0.1 only: the shell carries customers' personal data and must never face a network.
  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const port = Number(new URL(address).port);
  return {
    app,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const end of [...streams]) end();
      await app.close();
    },
  };
}
