// `npm run web` runs the whole system: beside the desktop services it starts the central service
// (src-server) as a child process on an embedded PGlite in <data>/central, seeded on its first start
// from the very demo database the desktop got, and points the desktop's sync at it. Seeding runs in
// the child in the background; the desktop works locally until the service is up.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Core } from '../core';
import { databaseFileIn } from '../core';

export interface EmbeddedCentral {
  stop(): Promise<void>;
}

const READY = /^AquaDesk central service: (http:\/\/\S+) \(\w+\)(?: · office key (\S+))? · version (\d+)$/m;

export function startEmbeddedCentral(core: Core, dataDir: string, log: (line: string) => void): EmbeddedCentral {
  const freshDesktop = core.db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get() === undefined;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, '../../src-server/cli.ts'), '--data', resolve(dataDir, 'central'), '--port', '0', '--seed-from', databaseFileIn(dataDir)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' } },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const match = READY.exec(out);
    if (!match) return;
    out = '';
    const [, url, officeKey, version] = match;
    const current = core.services.settings.get().settings.central;
    // Ours when not configured or pointing at an earlier embedded run (a new port each start).
    if (officeKey && (!current.url || current.url.startsWith('http://127.0.0.1:'))) {
      // The central copy was seeded from this very desktop database: the desktop has it all already.
      if (freshDesktop) core.db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(version);
      void core.services.dispatch('settings.set', { central: { url: url!, officeKey } });
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
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
