// One text type at every boundary, on the desk: every string field of every operation of the contract,
// sent through the web shell with a NUL or half a surrogate pair in it, is refused with 422 naming that
// field, and nothing is stored. Table-driven: the string fields are found by walking each operation's
// input schema, so an operation added later is covered the day it is added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { openCore, type Core } from '../../src-main/core';
import { seedDemoVerifiers } from '../../src-main/services/session';
import { startWebShell, type WebShell } from '../../src-main/web-shell/server';
import { contract, operationNames } from '../../src-shared/contract';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { browser, type Browser } from '../helpers/browser';
import { makeTempDir } from '../helpers/tmp';

type Path = (string | number)[];
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  left?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every path to a string in inputs the schema describes (one option of a union, one key of a record). */
function stringPaths(schema: z.ZodType, at: Path = [], depth = 0): Path[] {
  if (depth > 12) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return [at];
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, inner]) => stringPaths(inner, [...at, key], depth + 1));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return stringPaths(def.innerType!, at, depth + 1);
    case 'pipe':
      return stringPaths(def.in!, at, depth + 1);
    case 'array':
      return stringPaths(def.element!, [...at, 0], depth + 1);
    case 'record':
      return stringPaths(def.valueType!, [...at, 'k'], depth + 1);
    case 'union':
      return def
        .options!.flatMap((option) => stringPaths(option, at, depth + 1))
        .filter((p, i, all) => all.findIndex((q) => q.join('.') === p.join('.')) === i);
    case 'intersection':
      return [...stringPaths(def.left!, at, depth + 1)];
    default:
      return [];
  }
}

function withValue(path: Path, value: string): Record<string, unknown> {
  const root: Record<string | number, unknown> = {};
  let node: Record<string | number, unknown> = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else node = (node[key] = typeof path[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
  });
  return root;
}

let temp: ReturnType<typeof makeTempDir>;
let core: Core;
let shell: WebShell;
let admin: Browser;
const counts = () =>
  ['outbox', 'audit_log', 'settings', 'secrets', 'operator_preferences', 'mail_outbox'].map(
    (table) => core.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number,
  );

beforeAll(async () => {
  temp = makeTempDir();
  core = openCore({ dataDir: temp.dir, shell: 'web' });
  shell = await startWebShell({ services: core.services, events: core.ctx.events });
  core.db
    .prepare("INSERT INTO operators (id, login, full_name, role) VALUES (1, 'admin', 'Администратор', 'admin')")
    .run();
  await seedDemoVerifiers(core.db, DEMO_OPERATOR_PASSWORD);
  admin = browser(`http://127.0.0.1:${shell.port}`, shell.token);
  expect((await admin.call('session.signIn', { login: 'admin', password: DEMO_OPERATOR_PASSWORD })).ok).toBe(true);
});
afterAll(async () => {
  await shell?.close();
  core?.close();
  temp?.cleanup();
});

const cases = operationNames.flatMap((name) =>
  stringPaths(contract[name].input as z.ZodType).map((path) => ({ name, path })),
);

describe('every string field of every operation', () => {
  it('is found in the contract (the table is not empty, and covers the free-text ones)', () => {
    const fields = cases.map((c) => `${c.name}:${c.path.join('.')}`);
    expect(fields.length).toBeGreaterThan(30);
    for (const expected of [
      'lookup.search:text',
      'readings.review:note',
      'web.block:reason',
      'settings.set:utility.name',
      'session.signIn:login',
      'readings.submit:entries.0.value',
    ])
      expect(fields).toContain(expected);
  });

  for (const bad of [
    { label: 'a NUL', text: 'a\u0000b' },
    { label: 'a lone surrogate', text: 'a\ud800b' },
    { label: 'a control character', text: 'a\u001bb' },
  ]) {
    it(`refuses ${bad.label} in each with 422 naming the field, and stores nothing`, async () => {
      const before = counts();
      for (const { name, path } of cases) {
        if (name === 'session.signIn' || name === 'session.signOut') continue; // would change the session under the test
        const response = await admin.post(name, withValue(path, bad.text));
        const body = (await response.json()) as {
          ok: boolean;
          error?: { code: string; details?: { fields?: { path: string; code: string }[] } };
        };
        expect(response.status, `${name} ${path.join('.')}`).toBe(422);
        expect(body.error?.code).toBe('VALIDATION');
        expect(body.error?.details?.fields?.[0], `${name} ${path.join('.')}`).toMatchObject({
          path: path.join('.'),
          code: expect.stringMatching(/^text\./),
        });
      }
      // Sign-in too, from a browser of its own.
      const other = browser(`http://127.0.0.1:${shell.port}`, shell.token);
      expect((await other.post('session.signIn', { login: bad.text, password: 'x' })).status).toBe(422);
      expect(counts()).toEqual(before);
    });
  }

  it('refuses them in a key as well, and in a field the schema does not know', async () => {
    expect((await admin.post('lookup.search', { text: 'Абая', ['x\u0000']: 1 })).status).toBe(422);
    expect((await admin.post('lookup.search', { text: 'Абая', extra: 'y\ud800' })).status).toBe(422);
  });
});
