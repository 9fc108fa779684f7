// An operator who signed in while the central service was down works on this PC's data; when the
// service answers again, the same session goes online by signing in to the service again — the
// password asked again («Войти в сервис»), or the one just typed at the lock screen — never kept.
// The service's "no" is final: a wrong password leaves the session offline, and nothing else changes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../src-main/core';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { startCentral, type Central } from '../helpers/central';
import { openDesk } from '../helpers/desk';

describe('a session signed in offline, once the service answers again', () => {
  let central: Central;
  let core: Core;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    central = await startCentral('pglite', { accounts: 40, months: 1 });
    const desk = await openDesk(central, { login: null }, cleanups);
    core = desk.core;
    expect(await desk.sync()).toMatchObject({ state: 'online' });
  }, 120_000);
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await central?.close();
  });

  const gate = (client: string, op: string, input: unknown = {}) =>
    core.services.gate(op as never, input as never, client);
  const goOffline = () =>
    core.services.dispatch('settings.set', { central: { url: 'http://127.0.0.1:9', officeKey: central.officeKey } });
  function goOnline() {
    return core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
  }
  const audit = (operation: string) =>
    core.db
      .prepare<[string], { result: string; details: string | null }>(
        'SELECT result, details FROM audit_log WHERE operation = ? ORDER BY id',
      )
      .all(operation);

  /** `senior` signed in at `client` while the service did not answer (after one online sign-in made the verifier). */
  async function signedInOffline(client: string) {
    expect(await gate(client, 'session.signIn', { login: 'senior', password: DEMO_OPERATOR_PASSWORD })).toMatchObject({
      ok: true,
      result: { mode: 'online' },
    });
    await vi.waitFor(() => {
      const made = core.db.prepare("SELECT 1 FROM operator_verifiers WHERE login = 'senior'").get();
      if (!made) throw new Error('no verifier yet');
    });
    await gate(client, 'session.signOut');
    await goOffline();
    try {
      expect(await gate(client, 'session.signIn', { login: 'senior', password: DEMO_OPERATOR_PASSWORD })).toMatchObject(
        { ok: true, result: { mode: 'offline', operator: { login: 'senior' } } },
      );
    } finally {
      await goOnline();
    }
  }

  it('«Войти в сервис» with the password makes the same session online; a wrong one leaves it offline', async () => {
    const client = 'web:reconnect-1';
    await signedInOffline(client);
    // The service answers again, but this session has no service session: what needs one says why.
    expect(await gate(client, 'operators.list')).toMatchObject({
      ok: false,
      error: { details: { reason: 'session.onlineRequired' } },
    });
    expect(await gate(client, 'session.reconnect', { password: 'Wrong2026' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', details: { reason: 'auth.badCredentials' } },
    });
    expect(await gate(client, 'session.get')).toMatchObject({ ok: true, result: { mode: 'offline', locked: false } });
    expect(audit('session.reconnect').at(-1)).toMatchObject({ result: 'denied' });

    const signedInAt = ((await gate(client, 'session.get')) as { result: { signedInAt: string } }).result.signedInAt;
    expect(await gate(client, 'session.reconnect', { password: DEMO_OPERATOR_PASSWORD })).toMatchObject({
      ok: true,
      result: { mode: 'online', operator: { login: 'senior', role: 'supervisor' }, signedInAt },
    });
    expect(audit('session.reconnect').at(-1)).toMatchObject({ result: 'ok' });
    expect(await gate(client, 'operators.list')).toMatchObject({ ok: true });
    // Online already: a second call changes nothing and asks the service nothing.
    expect(await gate(client, 'session.reconnect', { password: 'anything' })).toMatchObject({
      ok: true,
      result: { mode: 'online' },
    });
    await gate(client, 'session.signOut');
  });

  it('no answer yet: «Войти в сервис» says the service does not answer, and the offline session goes on', async () => {
    const client = 'web:reconnect-2';
    await signedInOffline(client);
    await goOffline();
    try {
      expect(await gate(client, 'session.reconnect', { password: DEMO_OPERATOR_PASSWORD })).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', details: { reason: 'session.unreachable' } },
      });
      expect(await gate(client, 'lookup.search', { text: 'Абая' })).toMatchObject({ ok: true });
    } finally {
      await goOnline();
    }
    await gate(client, 'session.signOut');
  });

  it('the password typed at the lock screen signs in to the service too, when it answers', async () => {
    const client = 'web:reconnect-3';
    await signedInOffline(client);
    expect(await gate(client, 'session.lock')).toMatchObject({ ok: true, result: { locked: true } });
    // The unlock answers at once (it does not wait for the service); the session goes online after it.
    expect(await gate(client, 'session.unlock', { password: DEMO_OPERATOR_PASSWORD })).toMatchObject({
      ok: true,
      result: { locked: false, mode: 'offline' },
    });
    await vi.waitFor(async () =>
      expect(await gate(client, 'session.get')).toMatchObject({ result: { mode: 'online', locked: false } }),
    );
    expect(await gate(client, 'operators.list')).toMatchObject({ ok: true });
    await gate(client, 'session.signOut');
  });
});
