import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { startWebShell, type WebShell } from '../../src-main/web-shell/server';
import { makeTempDir } from '../helpers/tmp';
import { seedDemoVerifiers } from '../../src-main/services/session';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';

let temp: ReturnType<typeof makeTempDir>;
let core: Core;
let shell: WebShell;
let base: string;

beforeAll(async () => {
  temp = makeTempDir();
  core = openCore({ dataDir: temp.dir, shell: 'web' });
  shell = await startWebShell({ services: core.services, events: core.ctx.events });
  base = `http://127.0.0.1:${shell.port}`;
  // An empty store with one supervisor who has signed in on this PC before.
  core.db.prepare("INSERT INTO operators (id, login, full_name, role) VALUES (6, 'senior', 'Ахметов Ерлан', 'supervisor')").run();
  await seedDemoVerifiers(core.db, DEMO_OPERATOR_PASSWORD);
});
afterAll(async () => {
  await shell.close();
  core.close();
  temp.cleanup();
});

function post(operation: string, body: string | undefined, token: string | null = shell.token, type = 'application/json') {
  const headers: Record<string, string> = { 'content-type': type };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return fetch(`${base}/api/${operation}`, { method: 'POST', headers, body });
}

async function language(): Promise<string> {
  const response = await post('settings.get', '{}');
  return ((await response.json()) as { result: { settings: { language: string } } }).result.settings.language;
}

describe('web shell', () => {
  it('before sign-in answers only app.info and sign-in; then the operator works', async () => {
    const refused = await post('settings.get', '{}');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', details: { reason: 'session.signInRequired' } } });
    const wrong = await post('session.signIn', JSON.stringify({ login: 'senior', password: 'wrong-one1' }));
    expect(await wrong.json()).toMatchObject({ ok: false, error: { details: { reason: 'auth.badCredentials' } } });
    const signedIn = await post('session.signIn', JSON.stringify({ login: 'Senior', password: DEMO_OPERATOR_PASSWORD }));
    expect(await signedIn.json()).toMatchObject({ ok: true, result: { operator: { id: 6, role: 'supervisor' }, mode: 'offline', locked: false } });
    expect((await post('settings.get', '{}')).status).toBe(200);
  });

  it('listens on 127.0.0.1 only and prints a URL with its token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('answers an operation of the contract', async () => {
    const response = await post('app.info', '{}');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; result: { dataDir: string; shell: string } };
    expect(body.ok).toBe(true);
    expect(body.result).toMatchObject({ dataDir: temp.dir, shell: 'web' });
  });

  it('refuses a missing or wrong token with 401 and changes nothing', async () => {
    for (const token of [null, 'wrong', `${shell.token}x`]) {
      const response = await post('settings.set', '{"language":"kk"}', token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(await language()).toBe('ru');
  });

  it('gives typed errors for an unknown operation, malformed JSON, a non-JSON body and a failing schema', async () => {
    const unknown = await post('accounts.drop', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_OPERATION' } });

    const malformed = await post('settings.set', '{"language":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    const text = await post('settings.set', 'language=kk', shell.token, 'text/plain');
    expect([400, 415]).toContain(text.status);
    expect(await text.json()).toMatchObject({ ok: false });

    const invalid = await post('settings.set', '{"language":"de","unknownKey":1}');
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { code: string; details: { fields: { path: string }[] } } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details.fields.map((f) => f.path)).toContain('language');
    expect(await language()).toBe('ru');
  });

  it('refuses an oversized body and keeps serving', async () => {
    const huge = JSON.stringify({ language: 'x'.repeat(2 * 1024 * 1024) });
    const response = await post('settings.set', huge);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'TOO_LARGE' } });
    expect(await language()).toBe('ru');
  });

  it('streams events over SSE to an authorised client only', async () => {
    const denied = await fetch(`${base}/api/events`);
    expect(denied.status).toBe(401);

    const controller = new AbortController();
    const stream = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${shell.token}` }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    const received = (async () => {
      let text = '';
      while (!text.includes('event: settings.changed')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    })();
    await new Promise((r) => setTimeout(r, 50));
    await post('settings.set', '{"idleLockMinutes":20}');
    const text = await received;
    expect(text).toContain('event: settings.changed');
    expect(text).toContain('"idleLockMinutes":20');
    controller.abort();
  });
});
