// The desktop's side of customers' web accounts: each action reaches the central service at once,
// goes into the local audit trail, and is refused with a clear reason when the service cannot be reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import type { WebActionOutput, WebAccountState } from '../../src-shared/schemas/web';
import { startCentral, type Central } from '../helpers/central';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { makeTempDir } from '../helpers/tmp';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';

describe('web accounts from the desktop', () => {
  let central: Central;
  let smtp: TestSmtp;
  let core: Core;
  let cleanup: () => void;

  beforeAll(async () => {
    smtp = await startSmtp();
    central = await startCentral('pglite', { accounts: 60, months: 1, smtpPort: smtp.port });
    const temp = makeTempDir();
    core = openCore({ dataDir: temp.dir, shell: 'web', now: () => central.now.value });
    cleanup = () => {
      core.close();
      temp.cleanup();
    };
    await core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
    const synced = await core.services.dispatch('sync.now', {});
    expect(synced).toMatchObject({ ok: true, result: { state: 'online' } });
    await signInAs('kassa1');
  }, 120_000);
  afterAll(async () => {
    cleanup?.();
    await central?.close();
    await smtp?.close();
  });

  /** Signs the demo operator in on this desktop (online: the central service checks the password). */
  async function signInAs(login: string) {
    await core.services.gate('session.signOut', {});
    expect(await core.services.gate('session.signIn', { login, password: DEMO_OPERATOR_PASSWORD })).toMatchObject({
      ok: true,
      result: { mode: 'online', operator: { login } },
    });
  }
  const call = (op: string, input: unknown) => core.services.gate(op as never, input as never);
  const audit = (accountId: number) =>
    core.db
      .prepare<[number], { operation: string; result: string; details: string }>(
        'SELECT operation, result, details FROM audit_log WHERE account_id = ? ORDER BY id',
      )
      .all(accountId);

  it('registers an individual on the central service, audits it, and never sees the password', async () => {
    const owner = core.db
      .prepare<[], { id: number; number: string; iin: string }>(
        `SELECT a.id, a.number, o.iin_bin AS iin FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN web_accounts w ON w.account_id = a.id
          WHERE w.account_id IS NULL AND a.kind = 'individual' AND a.closed_on IS NULL ORDER BY a.id LIMIT 1`,
      )
      .get()!;
    expect(await call('web.status', { accountId: owner.id })).toMatchObject({ ok: true, result: { status: 'none' } });

    const wrong = await call('web.register', {
      kind: 'individual',
      accountId: owner.id,
      iinBin: '000101500011',
      email: 'desk@example.kz',
      phone: '+7 701 555 44 33',
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { reason: 'web.iinMismatch', fields: [{ path: 'iinBin' }] } },
    });
    const bad = await call('web.register', {
      kind: 'individual',
      accountId: owner.id,
      iinBin: '123',
      email: 'nope',
      phone: '5',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const done = await call('web.register', {
      kind: 'individual',
      accountId: owner.id,
      iinBin: owner.iin,
      email: 'desk@example.kz',
      phone: '+7 701 555 44 33',
    });
    expect(done.ok).toBe(true);
    const result = (done as { result: WebActionOutput }).result;
    expect(result).toMatchObject({
      sentTo: 'desk@example.kz',
      state: { status: 'pending', login: owner.number, hasPassword: false },
    });
    await expect.poll(() => smtp.received.length).toBe(1);

    // The replicated row arrives by the next sync; the card shows it.
    await core.services.dispatch('sync.now', {});
    const card = await call('accounts.get', { accountId: owner.id });
    expect(card).toMatchObject({ ok: true, result: { webAccount: { status: 'pending', login: owner.number } } });
    expect(
      core.db
        .prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE '%credential%' OR name LIKE '%token%'")
        .pluck()
        .get(),
    ).toBe(0);

    expect(audit(owner.id).map((a) => `${a.operation}:${a.result}`)).toEqual([
      'web.register:failed',
      'web.register:ok',
    ]);
    expect(JSON.parse(audit(owner.id)[0]!.details)).toMatchObject({ reason: 'web.iinMismatch' });

    const resent = await call('web.resend', { accountId: owner.id });
    expect(resent).toMatchObject({ ok: true, result: { sentTo: 'desk@example.kz' } });
    await expect.poll(() => smtp.received.length).toBe(2);
    const duplicate = await call('web.register', {
      kind: 'individual',
      accountId: owner.id,
      iinBin: owner.iin,
      email: 'desk@example.kz',
      phone: '87015554433',
    });
    expect(duplicate).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'web.alreadyRegistered' } },
    });
  });

  it('a call-center agent cannot block: refused here and by the service, each refusal audited', async () => {
    const registered = core.db
      .prepare<[], number>('SELECT account_id FROM web_accounts ORDER BY account_id LIMIT 1')
      .pluck()
      .get()!;
    await signInAs('call1');
    const denied = await call('web.block', { accountId: registered, reason: 'Заявление абонента' });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'session.role' } } });
    expect(audit(registered).at(-1)).toMatchObject({ operation: 'web.block', result: 'denied' });
    // Past this desktop's check (an old or altered desktop), the service refuses it too.
    const direct = await core.services.dispatch(
      'web.block',
      { accountId: registered, reason: 'Заявление абонента' },
      { operatorId: 4 },
    );
    expect(direct).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'web.supervisorOnly' } },
    });
    const serverAudit = await central.db.query<{ result: string; operator_id: number }>(
      "SELECT result, operator_id FROM server_audit WHERE operation = 'web.block' AND account_id = $1",
      [registered],
    );
    expect(serverAudit).toEqual([{ result: 'denied', operator_id: 4 }]);
    await signInAs('senior');
    const blocked = await call('web.block', { accountId: registered, reason: 'Заявление абонента' });
    expect(blocked).toMatchObject({ ok: true, result: { state: { status: 'blocked' } } });
    expect((await call('web.unblock', { accountId: registered })).ok).toBe(true);
    await signInAs('kassa1');
  });

  it('offline, an action is refused with the reason and nothing is queued', async () => {
    const accountId = core.db.prepare<[], number>('SELECT id FROM accounts ORDER BY id LIMIT 1').pluck().get()!;
    const outboxBefore = core.db.prepare('SELECT count(*) FROM outbox').pluck().get();
    await core.services.dispatch('settings.set', {
      central: { url: 'http://127.0.0.1:9', officeKey: central.officeKey },
    });
    try {
      const status = await call('web.status', { accountId });
      expect(status).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', details: { reason: 'web.offline' } } });
      const reset = await call('web.reset', { accountId, by: 'login' });
      expect(reset).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', details: { reason: 'web.offline' } } });
      expect(core.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(outboxBefore);
      expect(audit(accountId).at(-1)).toMatchObject({ operation: 'web.reset', result: 'failed' });
      await core.services.dispatch('settings.set', { central: { url: '', officeKey: '' } });
      expect(await call('web.status', { accountId })).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', details: { reason: 'web.notConfigured' } },
      });
      expect(await call('web.status', { accountId: 999_999_999 })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    } finally {
      await core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
    }
    const state = (await call('web.status', { accountId })) as { ok: true; result: WebAccountState };
    expect(state.ok).toBe(true);
  });
});
