// Subscribing a customer without an email (#19.4): the address typed in the subscription dialog goes
// with subscriptions.set, is stored on the owner by the service (only when the owner has none) and
// comes back to the desk with the owner's row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { startCentral, type Central } from '../helpers/central';
import { makeTempDir } from '../helpers/tmp';

describe('subscribing without an email', () => {
  let central: Central;
  let core: Core;
  let cleanup: () => void;

  beforeAll(async () => {
    central = await startCentral('pglite', { accounts: 40, months: 1 });
    const temp = makeTempDir();
    core = openCore({ dataDir: temp.dir, shell: 'web', now: () => central.now.value });
    cleanup = () => (core.close(), temp.cleanup());
    await core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
    expect(await core.services.dispatch('sync.now', {})).toMatchObject({ ok: true, result: { state: 'online' } });
    expect(
      await core.services.gate('session.signIn', { login: 'kassa1', password: DEMO_OPERATOR_PASSWORD }),
    ).toMatchObject({ ok: true });
  }, 120_000);
  afterAll(async () => {
    cleanup?.();
    await central?.close();
  });

  it('asks for the address, refuses a bad one, and keeps a good one on the owner, synced', async () => {
    const row = core.db
      .prepare<[], { id: number; owner_id: number }>(
        "SELECT a.id, a.owner_id FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN subscriptions s ON s.account_id = a.id WHERE coalesce(o.email, '') = '' AND s.account_id IS NULL AND a.closed_on IS NULL ORDER BY a.id LIMIT 1",
      )
      .get()!;
    expect(row).toBeTruthy();
    expect(await core.services.gate('subscriptions.set', { accountId: row.id, subscribed: true })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: [{ path: 'email' }] } },
    });
    expect(
      await core.services.gate('subscriptions.set', { accountId: row.id, subscribed: true, email: 'not-an-address' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(
      await core.services.gate('subscriptions.set', {
        accountId: row.id,
        subscribed: true,
        email: 'new.customer@example.kz',
      }),
    ).toMatchObject({ ok: true, result: { subscribed: true, email: 'new.customer@example.kz' } });
    await core.services.dispatch('sync.now', {});
    expect(
      (await central.db.query<{ email: string }>('SELECT email FROM owners WHERE id = $1', [row.owner_id]))[0]!.email,
    ).toBe('new.customer@example.kz');
    await core.services.dispatch('sync.now', {});
    expect(core.db.prepare<[number], string>('SELECT email FROM owners WHERE id = ?').pluck().get(row.owner_id)).toBe(
      'new.customer@example.kz',
    );
  }, 120_000);

  it('refuses subscribing a closed account, with its closing day (unsubscribing stays possible)', async () => {
    const id = core.db
      .prepare<[], number>(
        "SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE coalesce(o.email, '') <> '' AND a.closed_on IS NULL ORDER BY a.id DESC LIMIT 1",
      )
      .pluck()
      .get()!;
    core.db.prepare("UPDATE accounts SET closed_on = '2024-11-13' WHERE id = ?").run(id);
    try {
      expect(await core.services.gate('subscriptions.get', { accountId: id })).toMatchObject({
        ok: true,
        result: { subscribed: false, closedOn: '2024-11-13' },
      });
      const queued = () =>
        core.db
          .prepare<[number], number>("SELECT count(*) FROM outbox WHERE account_id = ? AND name = 'subscriptions.set'")
          .pluck()
          .get(id);
      const before = queued();
      expect(
        await core.services.gate('subscriptions.set', { accountId: id, subscribed: true, email: 'closed@example.kz' }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'VALIDATION',
          details: { fields: [{ path: 'subscribed', code: 'subscription.accountClosed' }], closedOn: '2024-11-13' },
        },
      });
      expect(queued()).toBe(before);
      expect(await core.services.gate('subscriptions.set', { accountId: id, subscribed: false })).toMatchObject({
        ok: true,
        result: { subscribed: false },
      });
    } finally {
      core.db.prepare('UPDATE accounts SET closed_on = NULL WHERE id = ?').run(id);
    }
  });

  it('the service refuses subscribing an account it has closed, whatever the desk believed', async () => {
    const id = core.db
      .prepare<[], number>(
        "SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id LEFT JOIN subscriptions s ON s.account_id = a.id WHERE coalesce(o.email, '') <> '' AND a.closed_on IS NULL AND s.account_id IS NULL ORDER BY a.id LIMIT 1 OFFSET 3",
      )
      .pluck()
      .get()!;
    // Closed at the service; the desk has not pulled it yet.
    await central.db.query("UPDATE accounts SET closed_on = '2026-10-31' WHERE id = $1", [id]);
    try {
      expect(
        await core.services.gate('subscriptions.set', { accountId: id, subscribed: true, email: 'late@example.kz' }),
      ).toMatchObject({ ok: true });
      expect(await core.services.dispatch('sync.now', {})).toMatchObject({ ok: true, result: { rejected: 1 } });
      const [row] = await central.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM subscriptions WHERE account_id = $1 AND subscribed = 1',
        [id],
      );
      expect(Number(row!.n)).toBe(0);
      expect(
        core.db
          .prepare<[number], { state: string; error_code: string }>(
            "SELECT state, error_code FROM outbox WHERE account_id = ? AND name = 'subscriptions.set' ORDER BY seq DESC LIMIT 1",
          )
          .get(id),
      ).toEqual({ state: 'rejected', error_code: 'subscription.accountClosed' });
    } finally {
      await central.db.query('UPDATE accounts SET closed_on = NULL WHERE id = $1', [id]);
    }
  });
});
