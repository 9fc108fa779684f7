// The desks' replication routes: /v1/hello (what each side holds), /v1/clients (a desk's identity),
// /v1/desks/enroll (the one request without credentials), /v1/push, /v1/pull and /v1/audit (a desk's
// audit entries). Grouped because they are the sync protocol a desk speaks, apart from operators' work.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AppError, validationError } from '../../src-shared/errors';
import { PROTOCOL_VERSION } from '../../src-shared/replication/model';
import {
  auditUploadInput,
  deskEnrollRequest,
  helloRequestSchema,
  pullQuerySchema,
  pushRequestSchema,
  registerClientSchema,
  type HelloResponse,
} from '../../src-shared/schemas/sync';
import { uploadAudit } from '../audit-upload';
import { enrollDesk } from '../desks';
import { registerClient, requireDesk } from '../offices';
import { pullPageJson, scopeId } from '../pull';
import { applyPush } from '../push';
import { parse, send, type RouteContext } from './context';

export function registerSyncRoutes({ app, db, now, callerOf }: RouteContext): void {
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

  app.post('/v1/audit', async (request) => {
    const caller = await callerOf(request);
    const clientId = requireDesk(caller);
    const input = parse(auditUploadInput, request.body);
    if (input.clientId !== clientId)
      throw new AppError('FORBIDDEN', 'A desk uploads only its own audit entries', { reason: 'sync.notYourDesk' });
    return { ok: true, result: await uploadAudit(db, caller, clientId, input.entries) };
  });
}
