// Least privilege at the desk: the office key, the desk's credentials and the SMTP password never leave
// the main process (a window sees "set" only, the administrator its last four characters), in no event
// and no audit entry; they are sealed at rest by the box the shell gives (the OS's in Electron);
// personal preferences are each operator's own; the office's settings the administrator's.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { osSecretBox } from '../../src-main/electron/secrets';
import { seedDemoVerifiers } from '../../src-main/services/session';
import { migrations } from '../../src-main/store/migrations';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { makeTempDir } from '../helpers/tmp';

const KEY = 'office-key-QWERTY-7788';
const SMTP_PASSWORD = 'smtp-Pa55-word-XYZ';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function desk(options: Parameters<typeof openCore>[0] extends infer O ? Partial<O> : never = {}) {
  const temp = options.dataDir ? null : makeTempDir();
  const core = openCore({ dataDir: options.dataDir ?? temp!.dir, shell: 'web', ...options });
  cleanups.push(() => {
    core.close();
    temp?.cleanup();
  });
  return core;
}

async function withOperators(core: Core) {
  core.db
    .prepare(
      "INSERT OR IGNORE INTO operators (id, login, full_name, role) VALUES (1, 'admin', 'Администратор', 'admin'), (4, 'call1', 'Петрова Анна', 'callcenter'), (6, 'senior', 'Ахметов Ерлан', 'supervisor')",
    )
    .run();
  await seedDemoVerifiers(core.db, DEMO_OPERATOR_PASSWORD);
  for (const login of ['admin', 'call1', 'senior'])
    await core.services.session.signIn(login, DEMO_OPERATOR_PASSWORD, login);
  return (login: string, op: string, input: unknown = {}) => core.services.gate(op, input, login);
}

const secrets = {
  central: { url: 'http://127.0.0.1:9', officeKey: KEY },
  smtp: {
    host: 'smtp.example.kz',
    port: 587,
    secure: false,
    user: 'desk',
    password: SMTP_PASSWORD,
    from: 'Су Арнасы <bill@example.kz>',
  },
};

describe('secrets stay in the main process', () => {
  it('a call-center agent’s settings.get and every event carry no secret; the administrator sees the key’s last four', async () => {
    const core = desk();
    const as = await withOperators(core);
    const events: string[] = [];
    core.ctx.events.subscribe((name, payload) => events.push(JSON.stringify([name, payload])));
    expect(await as('admin', 'settings.set', secrets)).toMatchObject({ ok: true });

    const agent = await as('call1', 'settings.get');
    expect(agent).toMatchObject({
      ok: true,
      result: {
        settings: {
          central: { url: 'http://127.0.0.1:9', officeKeySet: true, officeKeyHint: null },
          smtp: { host: 'smtp.example.kz', passwordSet: true },
        },
      },
    });
    const admin = await as('admin', 'settings.get');
    expect(admin).toMatchObject({
      ok: true,
      result: { settings: { central: { officeKeySet: true, officeKeyHint: '7788' } } },
    });
    for (const text of [
      JSON.stringify(agent),
      JSON.stringify(admin),
      ...events,
      JSON.stringify(core.db.prepare('SELECT * FROM audit_log').all()),
    ]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SMTP_PASSWORD);
    }
    // The main process still uses them.
    expect(core.services.settings.get().settings.central.officeKey).toBe(KEY);
    expect(core.services.settings.get().settings.smtp?.password).toBe(SMTP_PASSWORD);
    // Leaving a secret out keeps it; the window never had it to send back.
    expect(
      await as('admin', 'settings.set', {
        central: { url: 'http://127.0.0.1:10' },
        smtp: { ...secrets.smtp, password: undefined, host: 'smtp2.example.kz' },
      }),
    ).toMatchObject({ ok: true });
    expect(core.services.settings.get().settings.central).toEqual({ url: 'http://127.0.0.1:10', officeKey: KEY });
    expect(core.services.settings.get().settings.smtp).toMatchObject({
      host: 'smtp2.example.kz',
      password: SMTP_PASSWORD,
    });
  });

  it('keeps secrets apart from the settings, sealed by the shell’s box; a box that cannot open them reads them as not set', async () => {
    // A fake of Electron's safeStorage: what it seals cannot be read from the file.
    const fake = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret' as const,
      encryptString: (value: string) => Buffer.from([...Buffer.from(value)].map((b) => b ^ 0x5a)),
      decryptString: (data: Buffer) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString(),
    };
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    {
      const core = openCore({ dataDir: temp.dir, shell: 'electron', secretBox: osSecretBox(fake, 'win32') });
      await core.services.dispatch('settings.set', secrets);
      expect(core.services.settings.get().settings.central.officeKey).toBe(KEY);
      expect(
        (await core.services.dispatch('settings.get', {})) as { result: { secretsProtected: boolean } },
      ).toMatchObject({ result: { secretsProtected: true } });
      core.db.pragma('wal_checkpoint(TRUNCATE)');
      const stored = core.db
        .prepare<[], { name: string; value: string }>('SELECT name, value FROM secrets ORDER BY name')
        .all();
      expect(stored.map((s) => s.name)).toEqual(['central.officeKey', 'smtp.password']);
      expect(stored.every((s) => s.value.startsWith('safe:'))).toBe(true);
      expect(JSON.stringify(core.db.prepare('SELECT * FROM settings').all())).not.toContain(KEY);
      core.close();
    }
    const file = readFileSync(`${temp.dir}/aquadesk.db`);
    expect(file.includes(Buffer.from(KEY))).toBe(false);
    expect(file.includes(Buffer.from(SMTP_PASSWORD))).toBe(false);
    // The same folder opened where the system cannot decrypt (another user, the web shell): not set, nothing breaks.
    const elsewhere = desk({ dataDir: temp.dir });
    expect(elsewhere.services.settings.get().settings.central).toEqual({ url: 'http://127.0.0.1:9', officeKey: '' });
    // No real encryption (Linux without a secret store): plain, and said so.
    expect(osSecretBox({ ...fake, getSelectedStorageBackend: () => 'basic_text' }, 'linux')).toBeUndefined();
    expect(osSecretBox({ ...fake, isEncryptionAvailable: () => false }, 'win32')).toBeUndefined();
  });

  it('moves the secrets of a desk made by 0.1 (in its settings and sync state) out of them when it upgrades', () => {
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    const db = new Database(`${temp.dir}/aquadesk.db`);
    db.exec(migrations.slice(0, 6).join('\n'));
    db.pragma('user_version = 6');
    const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    insert.run('central', JSON.stringify(secrets.central));
    insert.run('smtp', JSON.stringify(secrets.smtp));
    db.prepare(
      "INSERT INTO sync_state (key, value) VALUES ('clientToken', 'desk.00000000-0000-0000-0000-000000000001.s3cr3t')",
    ).run();
    db.close();
    const core = desk({ dataDir: temp.dir });
    expect(core.services.settings.get().settings.central.officeKey).toBe(KEY);
    expect(core.services.settings.get().settings.smtp?.password).toBe(SMTP_PASSWORD);
    const rows = JSON.stringify([
      core.db.prepare('SELECT * FROM settings').all(),
      core.db.prepare('SELECT * FROM sync_state').all(),
    ]);
    expect(rows).not.toContain(KEY);
    expect(rows).not.toContain(SMTP_PASSWORD);
    expect(rows).not.toContain('s3cr3t');
    expect(core.db.prepare("SELECT value FROM secrets WHERE name = 'desk.token'").pluck().get()).toBe(
      'plain:desk.00000000-0000-0000-0000-000000000001.s3cr3t',
    );
  });
});

describe('who may change what', () => {
  it('preferences are each operator’s own and open to every role; the office’s settings are the administrator’s', async () => {
    const core = desk();
    const as = await withOperators(core);
    expect(await as('call1', 'settings.set', { callCenterMode: true, language: 'kk' })).toMatchObject({
      ok: true,
      result: { settings: { callCenterMode: true, language: 'kk' } },
    });
    // Another operator at the same desk keeps theirs.
    expect(await as('senior', 'settings.get')).toMatchObject({
      result: { settings: { callCenterMode: false, language: 'ru' } },
    });
    expect(await as('call1', 'settings.get')).toMatchObject({
      result: { settings: { callCenterMode: true, language: 'kk' } },
    });
    // Office settings: refused (and audited) for the agent and the supervisor, done by the administrator.
    for (const login of ['call1', 'senior']) {
      expect(await as(login, 'settings.set', { idleLockMinutes: 30 })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await as(login, 'settings.set', { callCenterMode: false, idleLockMinutes: 30 })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await as(login, 'settings.testCentral', { url: 'http://127.0.0.1:9' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(
      core.db
        .prepare("SELECT count(*) FROM audit_log WHERE operation = 'settings.set' AND result = 'denied'")
        .pluck()
        .get(),
    ).toBe(4);
    expect(await as('admin', 'settings.set', { idleLockMinutes: 30 })).toMatchObject({
      ok: true,
      result: { settings: { idleLockMinutes: 30 } },
    });
    expect(await as('call1', 'settings.get')).toMatchObject({
      result: { settings: { idleLockMinutes: 30, callCenterMode: true } },
    });
  });

  it('takes only an http(s) address for the service, and a sender that is an e-mail address', async () => {
    const core = desk();
    const as = await withOperators(core);
    for (const url of [
      'javascript:alert(1)',
      'ftp://central.example.kz',
      'http://',
      'central.example.kz',
      'https://user:pw@central.example.kz',
      'http://a.kz/?x=\u0000',
    ]) {
      const outcome = await as('admin', 'settings.set', { central: { url, officeKey: KEY } });
      expect(outcome, url).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(await as('admin', 'settings.set', { smtp: { ...secrets.smtp, from: 'not an address' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: [{ path: 'smtp.from' }] } },
    });
    expect(core.services.settings.get().settings.central).toEqual({ url: '', officeKey: '' });
    expect(
      await as('admin', 'settings.set', { central: { url: 'https://central.example.kz:8443', officeKey: KEY } }),
    ).toMatchObject({ ok: true });
  });
});
