// Operators' routes: sign-in from a desktop and sign-out, the office, the administrator's list of
// operators (create, update) and the utility's requisites (read by any desk, replaced by an
// administrator). Grouped because each is the administration of who works and under which name.
import { rolesFor } from '../../src-shared/access';
import { operatorCreateInput, operatorUpdateInput, signInInput } from '../../src-shared/schemas/operators';
import { requisitesFromUtility } from '../../src-shared/schemas/utility';
import { readRequisites, writeRequisites } from '../utility';
import { parse, type RouteContext } from './context';

export function registerOperatorRoutes({ app, db, now, options, operators, callerOf, operatorOf }: RouteContext): void {
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
}
