// The central service's HTTP API (Fastify): /health; for desks /v1/hello, /v1/clients (a desk's
// identity), /v1/push, /v1/pull and /v1/audit; operators' sign-in and administration; operator actions
// on customers' web accounts; and the customers' own pages. Desks authenticate with the credentials the
// service issued them (an office key only to register), operators with a session (X-Operator-Session);
// every desk request carries the protocol version; errors are the contract's `{ code, message, details }`.
// This file builds the app and its services and holds what applies to every request (errors, the
// protocol version, HSTS); the routes themselves are in routes/*.ts, one module per area.
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../src-shared/errors';
import { MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../src-shared/replication/model';
import type { ServerDb } from './db';
import { createServerMailer, type ServerMailer } from './mailer';
import { createWebAccounts, type WebAccounts } from './web/accounts';
import { DEFAULT_PAGE_LIMITS, registerCustomerPages, type PageLimits } from './web/pages';
import { createOperators, type Operators } from './operators';
import { createMailingJobs, type MailingJobs } from './mailing-jobs';
import type { MailingOptions } from './mailing';
import type { Requisites } from '../src-shared/schemas/utility';
import { routeContext, send } from './routes/context';
import { registerSyncRoutes } from './routes/sync';
import { registerWebActionRoutes } from './routes/web-actions';
import { registerOperatorRoutes } from './routes/operators';
import { registerMailingRoutes } from './routes/mailing';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

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
  const now = options.now ?? (() => new Date());

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

  app.get('/health', async () => {
    await db.query('SELECT 1');
    return { ok: true, db: db.kind, protocol: PROTOCOL_VERSION };
  });

  // The routes by area (routes/*.ts), each handed the same context.
  const context = routeContext({ app, db, now, options, web, operators, mailingJobs });
  registerSyncRoutes(context);
  registerWebActionRoutes(context);
  registerOperatorRoutes(context);
  registerMailingRoutes(context);

  return Object.assign(app, { web, operators, mailingJobs });
}
