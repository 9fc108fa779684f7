// What every route module of the central service is handed (routes/*.ts): the database, the clock,
// the services built once in app.ts, and the few helpers each area uses alike — the contract's error
// reply, the zod gate at the boundary, and who is calling (a desk's credentials, then the operator's
// session). Kept apart so each route module holds only its own area's routes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, HTTP_STATUS, validationError } from '../../src-shared/errors';
import type { ServerDb } from '../db';
import type { MailingJobs } from '../mailing-jobs';
import { authenticate, type Caller } from '../offices';
import type { Operators } from '../operators';
import type { WebAccounts } from '../web/accounts';
import type { ServerOptions } from '../app';

export function send(reply: FastifyReply, error: AppError) {
  return reply.code(HTTP_STATUS[error.code]).send({ ok: false, error: error.toJSON() });
}

export const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
};

export interface RouteContext {
  app: FastifyInstance;
  db: ServerDb;
  now: () => Date;
  options: ServerOptions;
  web: WebAccounts;
  operators: Operators;
  mailingJobs: MailingJobs;
  callerOf: (request: FastifyRequest) => Promise<Caller>;
  /** The desk (its credentials) and the signed-in operator (X-Operator-Session) behind a request. */
  operatorOf: (
    request: FastifyRequest,
  ) => Promise<{ caller: Caller; office: Caller['office']; operator: Awaited<ReturnType<Operators['operatorOf']>> }>;
}

export function routeContext(base: Omit<RouteContext, 'callerOf' | 'operatorOf'>): RouteContext {
  const callerOf = (request: FastifyRequest): Promise<Caller> => authenticate(base.db, request.headers.authorization);
  async function operatorOf(request: FastifyRequest) {
    const caller = await callerOf(request);
    const operator = await base.operators.operatorOf(caller, request.headers['x-operator-session']);
    return { caller, office: caller.office, operator };
  }
  return { ...base, callerOf, operatorOf };
}
