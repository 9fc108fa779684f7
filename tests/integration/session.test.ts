// Operators at the desktop: sign-in against the central service, offline sign-in only for an operator
// who signed in on this PC before, five wrong passwords lock it, the idle lock, role checks with every
// refusal audited, the administrator's operators, and the audit trail reaching the service.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { DEMO_OPERATOR_PASSWORD, type OperatorAdmin } from '../../src-shared/schemas/operators';
import { startCentral, type Central } from '../helpers/central';
import { makeTempDir } from '../helpers/tmp';
import { scryptCostFor } from '../../src-shared/node/secrets';

describe('operators at the desktop', () => {
  let central: Central;
  let core: Core;
  let cleanup: () => void;
  const clock = { ms: Date.parse('2026-11-20T06:00:00Z') };

  beforeAll(async () => {
    central = await startCentral('pglite', { accounts: 40, months: 1 });
    const temp = makeTempDir();
    core = openCore({ dataDir: temp.dir, shell: 'web', now: () => new Date(clock.ms) });
    cleanup = () => {
      core.close();
      temp.cleanup();
    };
    await core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
    expect(await core.services.dispatch('sync.now', {})).toMatchObject({ ok: true, result: { state: 'online' } });
  }, 120_000);
  afterAll(async () => {
    cleanup?.();
    await central?.close();
  });

  const gate = (op: string, input: unknown = {}) => core.services.gate(op as never, input as never);
  const signIn = (login: string, password = DEMO_OPERATOR_PASSWORD) => gate('session.signIn', { login, password });
  const goOffline = () =>
    core.services.dispatch('settings.set', { central: { url: 'http://127.0.0.1:9', officeKey: central.officeKey } });
  const goOnline = () =>
    core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
  const lastAudit = () =>
    core.db
      .prepare<[], { operation: string; result: string; operator_id: number | null; details: string | null }>(
        'SELECT operation, result, operator_id, details FROM audit_log ORDER BY id DESC LIMIT 1',
      )
      .get()!;

  it('nothing but sign-in works before an operator signs in', async () => {
    expect(await gate('lookup.search', { text: 'Абая' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', details: { reason: 'session.signInRequired' } },
    });
    expect(await gate('session.get')).toMatchObject({ ok: true, result: { operator: null, locked: false } });
    expect(await gate('app.info')).toMatchObject({ ok: true });
  });

  it('offline, only an operator who signed in on this PC before gets in, and only with the right password', async () => {
    await goOffline();
    try {
      expect(await signIn('kassa1')).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED', details: { reason: 'session.neverHere' } },
      });
    } finally {
      await goOnline();
    }
    expect(await signIn('kassa1')).toMatchObject({
      ok: true,
      result: {
        mode: 'online',
        operator: { login: 'kassa1', role: 'counter', fullName: 'Сулейменова Айгүл Маратовна' },
      },
    });
    // The verifier is made just after the sign-in answers (the operator does not wait for the hash).
    const verifier = await vi.waitFor(
      () => {
        const made = core.db
          .prepare<[], string>("SELECT verifier FROM operator_verifiers WHERE login = 'kassa1'")
          .pluck()
          .get();
        if (!made) throw new Error('no verifier yet');
        return made;
      },
      { timeout: 5_000 },
    );
    expect(verifier).toMatch(new RegExp(`^scrypt\\$${scryptCostFor(process.env).N}\\$8\\$1\\$`)); // the cost in force (production's: tests/unit/password-cost.test.ts)
    expect(verifier).not.toContain(DEMO_OPERATOR_PASSWORD);
    await gate('session.signOut');

    await goOffline();
    try {
      expect(await signIn('kassa1', 'Wrong2026')).toMatchObject({
        ok: false,
        error: { details: { reason: 'auth.badCredentials' } },
      });
      expect(await signIn('KASSA1')).toMatchObject({
        ok: true,
        result: { mode: 'offline', operator: { login: 'kassa1' } },
      });
      // Offline, the web account actions that need the service say why they cannot run.
      expect(await gate('web.status', { accountId: 1 })).toMatchObject({
        ok: false,
        error: { details: { reason: 'session.onlineRequired' } },
      });
      await gate('session.signOut');
      expect(await signIn('call2')).toMatchObject({ ok: false, error: { details: { reason: 'session.neverHere' } } });
    } finally {
      await goOnline();
    }
  });

  it('five wrong passwords lock sign-in for a while, online and on this PC alike', async () => {
    for (let i = 0; i < 4; i++)
      expect(await signIn('kassa2', `Wrong${i}pass`)).toMatchObject({
        ok: false,
        error: { details: { reason: 'auth.badCredentials' } },
      });
    const fifth = await signIn('kassa2', 'Wrong5pass');
    expect(fifth).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', details: { reason: 'auth.locked' } } });
    expect(await signIn('kassa2')).toMatchObject({ ok: false, error: { details: { reason: 'auth.locked' } } });
    expect(lastAudit()).toMatchObject({ operation: 'session.signIn', result: 'denied' });

    // kassa1 signed in here before: the same rule holds offline, against this PC's verifier.
    await goOffline();
    try {
      for (let i = 0; i < 4; i++) await signIn('kassa1', `Wrong${i}pass`);
      const locked = await signIn('kassa1', 'Wrong5pass');
      expect(locked).toMatchObject({ ok: false, error: { details: { reason: 'auth.locked' } } });
      expect(await signIn('kassa1')).toMatchObject({ ok: false, error: { details: { reason: 'auth.locked' } } });
      clock.ms += 16 * 60_000;
      expect(await signIn('kassa1')).toMatchObject({ ok: true, result: { mode: 'offline' } });
      await gate('session.signOut');
    } finally {
      await goOnline();
    }
  });

  it('locks after the idle time: only unlock with the password gets back in', async () => {
    expect(await signIn('call1')).toMatchObject({ ok: true });
    expect(await gate('lookup.search', { text: 'Абая' })).toMatchObject({ ok: true });
    const idle = (await core.services.dispatch('settings.get', {})) as {
      ok: true;
      result: { settings: { idleLockMinutes: number } };
    };
    clock.ms += (idle.result.settings.idleLockMinutes + 2) * 60_000;
    expect(await gate('lookup.search', { text: 'Абая' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', details: { reason: 'session.locked' } },
    });
    expect(await gate('session.get')).toMatchObject({
      ok: true,
      result: { locked: true, operator: { login: 'call1' } },
    });
    expect(await gate('session.unlock', { password: 'Wrong2026' })).toMatchObject({
      ok: false,
      error: { details: { reason: 'auth.badCredentials' } },
    });
    // In the audit trail a refused unlock, not a refused sign-in.
    const last = core.db
      .prepare<[], { operation: string; result: string }>(
        'SELECT operation, result FROM audit_log ORDER BY id DESC LIMIT 1',
      )
      .get()!;
    expect(last).toEqual({ operation: 'session.unlock', result: 'denied' });
    expect(await gate('session.unlock', { password: DEMO_OPERATOR_PASSWORD })).toMatchObject({
      ok: true,
      result: { locked: false },
    });
    expect(await gate('lookup.search', { text: 'Абая' })).toMatchObject({ ok: true });
    // The renderer locks at once on Ctrl+L or when it sees no activity.
    expect(await gate('session.lock')).toMatchObject({ ok: true, result: { locked: true } });
    expect(await gate('accounts.get', { accountId: 1 })).toMatchObject({
      ok: false,
      error: { details: { reason: 'session.locked' } },
    });
    await gate('session.unlock', { password: DEMO_OPERATOR_PASSWORD });
  });

  it('a call-center agent cannot change the office settings or read the audit; each refusal is audited', async () => {
    // (call1 is signed in from the previous test)
    expect(await gate('settings.set', { language: 'kk' })).toMatchObject({ ok: true }); // their own language is theirs
    const denied = await gate('settings.set', { idleLockMinutes: 60 });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'session.role' } } });
    expect(lastAudit()).toMatchObject({ operation: 'settings.set', result: 'denied', operator_id: 4 });
    expect(await gate('audit.list', { limit: 10, offset: 0 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await gate('operators.create', {
        login: 'new.one',
        fullName: 'Новый Оператор',
        role: 'counter',
        password: 'Start2026',
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await gate('settings.set', { language: 'ru' });
    await gate('session.signOut');
  });

  it('the administrator adds an operator, who can then sign in; the service refuses the same to anyone else', async () => {
    expect(await signIn('admin')).toMatchObject({ ok: true, result: { mode: 'online' } });
    const weak = await gate('operators.create', {
      login: 'kassa3',
      fullName: 'Омарова Дана',
      role: 'counter',
      password: 'short',
    });
    expect(weak).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const created = await gate('operators.create', {
      login: 'kassa3',
      fullName: 'Омарова Дана',
      role: 'counter',
      password: 'Start2026',
    });
    expect(created.ok).toBe(true);
    const list = (created as { result: { operators: OperatorAdmin[] } }).result.operators;
    expect(list.find((o) => o.login === 'kassa3')).toMatchObject({ role: 'counter', active: true, hasPassword: true });
    expect(
      await gate('operators.create', { login: 'kassa3', fullName: 'Другая', role: 'counter', password: 'Start2026' }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const id = list.find((o) => o.login === 'kassa3')!.id;
    await gate('session.signOut');
    expect(await signIn('kassa3', 'Start2026')).toMatchObject({
      ok: true,
      result: { operator: { login: 'kassa3', role: 'counter' } },
    });

    // Straight to the service with a counter operator's session: refused and audited there.
    const session = await central.sessionOf(4);
    const response = await fetch(`${central.url}/v1/operators`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${central.officeKey}`,
        'x-aquadesk-protocol': '2',
        'content-type': 'application/json',
        'x-operator-session': session,
      },
      body: JSON.stringify({ login: 'sneaky', fullName: 'Не Админ', role: 'admin', password: 'Hidden2026' }),
    });
    expect(response.status).toBe(403);
    const audit = await central.db.query<{ result: string }>(
      "SELECT result FROM server_audit WHERE operation = 'operators.create' AND operator_id = 4",
    );
    expect(audit).toEqual([{ result: 'denied' }]);

    // Deactivated by the administrator: refused online, and this PC forgets its verifier.
    await gate('session.signOut');
    await signIn('admin');
    expect(await gate('operators.update', { id, active: false })).toMatchObject({ ok: true });
    await gate('session.signOut');
    expect(await signIn('kassa3', 'Start2026')).toMatchObject({
      ok: false,
      error: { details: { reason: 'auth.inactive' } },
    });
    expect(core.db.prepare("SELECT count(*) FROM operator_verifiers WHERE login = 'kassa3'").pluck().get()).toBe(0);
  });

  it('an operator deactivated at another desk is refused here offline once this PC has synced', async () => {
    // call2 signs in here (online), so this PC keeps a verifier.
    expect(await signIn('call2')).toMatchObject({ ok: true, result: { mode: 'online' } });
    await gate('session.signOut');
    // The administrator deactivates call2 from another desk; this PC's next sync brings the change.
    const admin = await central.sessionOf(1);
    const deactivate = await fetch(`${central.url}/v1/operators/update`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${central.officeKey}`,
        'x-aquadesk-protocol': '2',
        'content-type': 'application/json',
        'x-operator-session': admin,
      },
      body: JSON.stringify({ id: 5, active: false }),
    });
    expect(deactivate.status).toBe(200);
    expect(await core.services.dispatch('sync.now', {})).toMatchObject({ ok: true, result: { state: 'online' } });
    expect(core.db.prepare('SELECT active FROM operators WHERE id = 5').pluck().get()).toBe(0);

    await goOffline();
    try {
      expect(await signIn('call2')).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED', details: { reason: 'auth.inactive' } },
      });
      expect(lastAudit()).toMatchObject({ operation: 'session.signIn', result: 'denied', operator_id: 5 });
      expect(core.db.prepare("SELECT count(*) FROM operator_verifiers WHERE login = 'call2'").pluck().get()).toBe(0);
      // Someone still active signs in offline as before.
      expect(await signIn('kassa1')).toMatchObject({ ok: true, result: { mode: 'offline' } });
      await gate('session.signOut');
    } finally {
      await goOnline();
    }
  });

  it('the local audit trail reaches the central service once, with the operator', async () => {
    await signIn('senior');
    await gate('accounts.revealIin', { accountId: 1 });
    expect(lastAudit()).toMatchObject({ operation: 'accounts.revealIin', result: 'ok', operator_id: 6 });
    const local = core.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
    expect(await core.services.dispatch('sync.now', {})).toMatchObject({ ok: true, result: { state: 'online' } });
    await core.services.dispatch('sync.now', {});
    const clientId = core.services.sync.clientId();
    // The desk's own entries (the service's rows about this desk, its registration and sign-ins, carry no local id).
    const uploaded = await central.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM server_audit WHERE client_id = $1 AND local_id IS NOT NULL',
      [clientId],
    );
    expect(uploaded[0]!.n).toBe(local);
    const reveal = await central.db.query<{ operator_id: number; account_id: number }>(
      "SELECT operator_id, account_id FROM server_audit WHERE client_id = $1 AND operation = 'accounts.revealIin'",
      [clientId],
    );
    expect(reveal).toEqual([{ operator_id: 6, account_id: 1 }]);
    expect(core.db.prepare('SELECT count(*) FROM audit_log WHERE sent_at IS NULL').pluck().get()).toBe(0);
  });
});
