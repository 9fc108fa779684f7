// The web shell over HTTP as browsers use it: the start token on every request, and each browser its
// own operator session (an HttpOnly, SameSite=Strict cookie set at sign-in, worth nothing without the
// token); typed errors for bad requests; events over SSE, a session's own only to its browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { SESSION_COOKIE, startWebShell, type WebShell } from '../../src-main/web-shell/server';
import { makeTempDir } from '../helpers/tmp';
import { seedDemoVerifiers } from '../../src-main/services/session';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { browser, readEvents, type Browser } from '../helpers/browser';

let temp: ReturnType<typeof makeTempDir>;
let core: Core;
let shell: WebShell;
let base: string;

beforeAll(async () => {
  temp = makeTempDir();
  core = openCore({ dataDir: temp.dir, shell: 'web' });
  shell = await startWebShell({ services: core.services, events: core.ctx.events });
  base = `http://127.0.0.1:${shell.port}`;
  // An empty store with an administrator, a supervisor and a call-center agent who have signed in on this PC before.
  core.db
    .prepare(
      "INSERT INTO operators (id, login, full_name, role) VALUES (1, 'admin', 'Администратор', 'admin'), (6, 'senior', 'Ахметов Ерлан', 'supervisor'), (9, 'call1', 'Жумабаева Дана', 'callcenter')",
    )
    .run();
  await seedDemoVerifiers(core.db, DEMO_OPERATOR_PASSWORD);
});
afterAll(async () => {
  await shell.close();
  core.close();
  temp.cleanup();
});

const open = () => browser(base, shell.token);
async function signedIn(login: string): Promise<Browser> {
  const b = open();
  const outcome = await b.call('session.signIn', { login, password: DEMO_OPERATOR_PASSWORD });
  expect(outcome.ok, JSON.stringify(outcome.error)).toBe(true);
  return b;
}
const language = async (b: Browser) =>
  (await b.call<{ settings: { language: string; idleLockMinutes: number } }>('settings.get')).result.settings;

describe('web shell', () => {
  it('before sign-in answers only app.info and sign-in; then the operator works', async () => {
    const b = open();
    const refused = await b.post('settings.get');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      error: { code: 'UNAUTHORIZED', details: { reason: 'session.signInRequired' } },
    });
    const wrong = await b.post('session.signIn', { login: 'senior', password: 'wrong-one1' });
    expect(await wrong.json()).toMatchObject({ ok: false, error: { details: { reason: 'auth.badCredentials' } } });
    expect(b.lastSetCookie).toEqual([]); // a refused sign-in sets no session
    const ok = await b.post('session.signIn', { login: 'Senior', password: DEMO_OPERATOR_PASSWORD });
    expect(await ok.json()).toMatchObject({
      ok: true,
      result: { operator: { id: 6, role: 'supervisor' }, mode: 'offline', locked: false },
    });
    expect((await b.post('settings.get')).status).toBe(200);
  });

  it('sets the session as an HttpOnly, SameSite=Strict cookie, new at every sign-in, dropped at sign-out', async () => {
    const b = await signedIn('senior');
    const first = b.cookies.get(SESSION_COOKIE)!;
    expect(first).toMatch(/^[\w-]{20,}$/);
    const line = b.lastSetCookie.find((l) => l.startsWith(`${SESSION_COOKIE}=`))!;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Strict/i);
    // Signing in again in the same browser: a new id, and the old one is worth nothing.
    await b.call('session.signIn', { login: 'senior', password: DEMO_OPERATOR_PASSWORD });
    const second = b.cookies.get(SESSION_COOKIE)!;
    expect(second).not.toBe(first);
    const stale = browser(base, shell.token);
    stale.cookies.set(SESSION_COOKIE, first);
    expect((await stale.post('settings.get')).status).toBe(401);
    // Sign-out ends it: the same cookie, replayed, no longer signs anyone in.
    await b.call('session.signOut');
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
    const replay = browser(base, shell.token);
    replay.cookies.set(SESSION_COOKIE, second);
    expect(await replay.call('session.get')).toMatchObject({ ok: true, result: { operator: null } });
  });

  it('two browsers are two operators: a sign-in in one never changes the other, and the cookie needs the token', async () => {
    const a = await signedIn('senior');
    const holdsToken = open(); // a second browser with only the start token
    expect(await holdsToken.call('session.get')).toMatchObject({ ok: true, result: { operator: null } });
    expect((await holdsToken.post('audit.list', { limit: 5 })).status).toBe(401);
    const b = await signedIn('call1');
    expect(await a.call('session.get')).toMatchObject({
      result: { operator: { login: 'senior', role: 'supervisor' } },
    });
    expect(await b.call('session.get')).toMatchObject({ result: { operator: { login: 'call1', role: 'callcenter' } } });
    // Each call carries its own browser's operator: the supervisor reads the audit, the agent may not.
    expect((await a.post('audit.list', { limit: 5 })).status).toBe(200);
    expect((await b.post('audit.list', { limit: 5 })).status).toBe(403);
    // Locking one browser locks only that one.
    await b.call('session.lock');
    expect(await a.call('session.get')).toMatchObject({ result: { locked: false } });
    expect((await b.post('lookup.search', { text: 'Абая' })).status).toBe(401);
    // The cookie without the token is nothing.
    expect((await a.post('session.get', '{}', { token: null })).status).toBe(401);
    expect((await a.post('session.get', '{}', { token: 'wrong' })).status).toBe(401);
  });

  it('listens on 127.0.0.1 only and prints a URL with its token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('answers an operation of the contract', async () => {
    const response = await open().post('app.info');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; result: { dataDir: string; shell: string } };
    expect(body.ok).toBe(true);
    expect(body.result).toMatchObject({ dataDir: temp.dir, shell: 'web' });
  });

  it('refuses a missing or wrong token with 401 and changes nothing', async () => {
    const admin = await signedIn('admin');
    for (const token of [null, 'wrong', `${shell.token}x`]) {
      const response = await admin.post('settings.set', '{"idleLockMinutes":33}', { token });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect((await language(admin)).idleLockMinutes).toBe(15);
  });

  it('gives typed errors for an unknown operation, malformed JSON, a non-JSON body and a failing schema', async () => {
    const admin = await signedIn('admin');
    const unknown = await admin.post('accounts.drop');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_OPERATION' } });

    const malformed = await admin.post('settings.set', '{"language":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    const text = await admin.post('settings.set', 'language=kk', { type: 'text/plain' });
    expect([400, 415]).toContain(text.status);
    expect(await text.json()).toMatchObject({ ok: false });

    const invalid = await admin.post('settings.set', '{"language":"de","unknownKey":1}');
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { code: string; details: { fields: { path: string }[] } } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details.fields.map((f) => f.path)).toContain('language');
    expect((await language(admin)).language).toBe('ru');
  });

  it('refuses an oversized body and keeps serving', async () => {
    const admin = await signedIn('admin');
    const huge = JSON.stringify({ language: 'x'.repeat(2 * 1024 * 1024) });
    const response = await admin.post('settings.set', huge);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'TOO_LARGE' } });
    expect((await language(admin)).language).toBe('ru');
  });

  it('streams events over SSE to an authorised client only, and a session’s own events to its browser only', async () => {
    const denied = await fetch(`${base}/api/events`);
    expect(denied.status).toBe(401);

    const admin = await signedIn('admin');
    const agent = await signedIn('call1');
    const controller = new AbortController();
    const adminStream = await admin.events(controller.signal);
    const agentStream = await agent.events(controller.signal);
    expect(adminStream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const adminText = readEvents(adminStream, '"idleLockMinutes":20', 5_000);
    const agentText = readEvents(agentStream, '"locked":true', 3_000);
    await new Promise((r) => setTimeout(r, 50));
    await admin.call('settings.set', { idleLockMinutes: 20 });
    await admin.call('session.lock');
    const seenByAdmin = await adminText;
    expect(seenByAdmin).toContain('event: settings.changed');
    expect(seenByAdmin).toContain('"idleLockMinutes":20');
    // The office's change reaches every browser; the admin's lock is the admin's browser's only.
    const seenByAgent = await agentText;
    expect(seenByAgent).toContain('event: settings.changed');
    expect(seenByAgent).not.toContain('"locked":true');
    controller.abort();
    await admin.call('session.unlock', { password: DEMO_OPERATOR_PASSWORD });
  });
});
