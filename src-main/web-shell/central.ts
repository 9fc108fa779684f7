// `npm run web` runs the whole system: beside the desktop services it starts the central service
// (src-server) as a child process on an embedded PGlite in <data>/central, seeded on its first start
// from the very demo database the desktop got, and points the desktop's sync at it. Seeding runs in
// the child in the background; the desktop works locally until the service is up. The service's log
// is kept in <data>/logs/central.log.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Core } from '../core';
import { databaseFileIn } from '../core';
import { identityOf } from '../services/sync/identity';
import { secretsOf } from '../store/repos/secrets';

export interface EmbeddedCentral {
  stop(): Promise<void>;
}

const READY = /^AquaDesk central service: (http:\/\/\S+) \(\w+\)(?: · office key (\S+) · scope (\S+)(?: · desk (desk\.([0-9a-f-]{36})\.\S+))?)? · version (\d+)$/m;

/** The service prints the keys it makes once; the log keeps only their last four characters. */
export function redactKeys(text: string): string {
  return text
    .replace(/(office key |: key )(\S+)/g, (_, label: string, key: string) => `${label}…${key.slice(-4)}`)
    .replace(/(desk desk\.[0-9a-f-]{36}\.)\S+/g, '$1…');
}

export function startEmbeddedCentral(core: Core, dataDir: string, log: (line: string) => void): EmbeddedCentral {
  const freshDesktop = core.db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get() === undefined;
  const logFile = createWriteStream(join(core.ctx.logDir, 'central.log'), { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, '../../src-server/cli.ts'), '--data', resolve(dataDir, 'central'), '--port', '0', '--seed-from', databaseFileIn(dataDir)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' } },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    logFile.write(redactKeys(chunk.toString()));
    out += chunk.toString();
    const match = READY.exec(out);
    if (!match) return;
    out = '';
    const [, url, officeKey, scope, deskToken, clientId, version] = match;
    const current = core.services.settings.get().settings.central;
    // Ours when not configured or pointing at an earlier embedded run (a new port each start). The key
    // is printed once, when the service seeds its office; later starts keep the one in the settings.
    if (!current.url || current.url.startsWith('http://127.0.0.1:')) {
      if (officeKey && freshDesktop) {
        // The central copy was seeded from this very desktop database: the desktop has it all already.
        const set = core.db.prepare("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        core.db.transaction(() => {
          set.run('cursor', version);
          set.run('scope', scope);
          // And this desk's identity, issued for it when the service was seeded from its file.
          if (deskToken) {
            set.run('clientId', clientId);
            secretsOf(core.db).set('desk.token', deskToken);
            set.run('clientKeyHash', createHash('sha256').update(officeKey).digest('hex'));
            set.run('ackedThrough', '0');
          }
        })();
        identityOf(core.db).forget();
      }
      const key = officeKey ?? current.officeKey;
      if (key) void core.services.dispatch('settings.set', { central: { url: url!, officeKey: key } });
      else log('the embedded central service has its office already, but this desk has no key for it: set one in Settings or start with a new --data folder');
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    logFile.write(redactKeys(chunk.toString()));
    log(redactKeys(chunk.toString().trimEnd()));
  });
  child.once('exit', () => logFile.end());
  return {
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
