// The monthly mailing as a job for the office's districts (a supervisor's, from the desk):
// /v1/mailing/start|pause|resume|cancel and GET /v1/mailing. Kept apart because each route is one call
// into mailing-jobs.ts behind the same role check.
import type { FastifyRequest } from 'fastify';
import { rolesFor } from '../../src-shared/access';
import { mailingStartInput } from '../../src-shared/schemas/mailing';
import { parse, type RouteContext } from './context';

export function registerMailingRoutes({ app, operators, mailingJobs, operatorOf }: RouteContext): void {
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
      result: await mailingJobs.start(office, operator, parse(mailingStartInput, request.body ?? {})),
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
}
