// `npm run web` runs the whole system: beside the desktop services it starts the central service
// (src-server) as a child process on an embedded PGlite in <data>/central, seeded on its first start
// from the very demo database the desktop got, and points the desktop's sync at it. The child starts
// at once (its PGlite opens while the desk's demo file is generated; it waits for the file with
// --seed-wait), and its progress lines are passed on; the web shell prints its address only after
// the service is ready and the desk is in sync (cli.ts). The service's log is kept in
// <data>/logs/central.log.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Core } from '../core';
import { databaseFileIn } from '../core';
import { identityOf } from '../services/sync/identity';
import { secretsOf } from '../store/repos/secrets';

/** What the service's ready line says. */
export interface CentralReady {
  url: string;
  /** printed once, when the service seeded its office (a first start) */
  officeKey: string | null;
  scope: string | null;
  /** the identity issued for this desk at that seed */
  deskToken: string | null;
  clientId: string | null;
  version: string;
}

export interface EmbeddedCentral {
  /** The ready line, or why the service stopped before it. */
  ready: Promise<{ ok: true; central: CentralReady } | { ok: false; reason: string }>;
  stop(): Promise<void>;
}

const READY =
  /^AquaDesk central service: (http:\/\/\S+) \(\w+\)(?: · office key (\S+) · scope (\S+)(?: · desk (desk\.([0-9a-f-]{36})\.\S+))?)? · version (\d+)$/m;

/** The service prints the keys it makes once; the log keeps only their last four characters. */
export function redactKeys(text: string): string {
  return text
    .replace(/(office key |: key )(\S+)/g, (_, label: string, key: string) => `${label}…${key.slice(-4)}`)
    .replace(/(desk desk\.[0-9a-f-]{36}\.)\S+/g, '$1…');
}

/** The service's own progress lines (src-server/cli.ts), in the web shell's words; null for any other line. */
export function progressLine(line: string): string | null {
  if (/^Seeding from /.test(line)) return "central service: seeding from the desk's demo data…";
  let m = /^Seeding: (\d+)% \((\d+) of (\d+) rows\)$/.exec(line);
  if (m) return `central service: seeding ${m[1]}% (${m[2]} of ${m[3]} rows)`;
  m = /^Seeded (\d+) rows in ([\d.]+) s$/.exec(line);
  if (m) return `central service: seeded ${m[1]} rows in ${m[2]} s`;
  return null;
}

/**
 * Starts the service for the data folder: on a first start it opens its database, waits for the
 * desk's demo file and seeds itself from it. `progress` gets its progress lines, `log` anything else
 * it says on stderr (keys redacted).
 */
export function spawnEmbeddedCentral(
  dataDir: string,
  report: { progress: (line: string) => void; log: (line: string) => void },
): EmbeddedCentral {
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = createWriteStream(join(logDir, 'central.log'), { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, '../../src-server/cli.ts'),
      '--data',
      resolve(dataDir, 'central'),
      '--port',
      '0',
      '--seed-from',
      databaseFileIn(dataDir),
      '--seed-wait',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' } },
  );
  // Whatever way the web shell ends (a failed start included), the service ends with it.
  const killChild = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', killChild);
  let stderrTail = '';
  const ready = new Promise<{ ok: true; central: CentralReady } | { ok: false; reason: string }>((settle) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      logFile.write(redactKeys(chunk.toString()));
      out += chunk.toString();
      const match = READY.exec(out);
      if (!match) return;
      out = '';
      const [, url, officeKey, scope, deskToken, clientId, version] = match;
      settle({
        ok: true,
        central: {
          url: url!,
          officeKey: officeKey ?? null,
          scope: scope ?? null,
          deskToken: deskToken ?? null,
          clientId: clientId ?? null,
          version: version!,
        },
      });
    });
    let partial = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = redactKeys(chunk.toString());
      logFile.write(text);
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        stderrTail = `${stderrTail}\n${line}`.slice(-2_000);
        const progress = progressLine(line);
        if (progress) report.progress(progress);
        else report.log(line);
      }
    });
    child.once('error', (error) => settle({ ok: false, reason: `it could not be started: ${error.message}` }));
    child.once('exit', (code, signal) => {
      logFile.end();
      process.removeListener('exit', killChild);
      const last = stderrTail.trim().split('\n').slice(-3).join(' / ');
      settle({ ok: false, reason: `it stopped (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}` });
    });
  });
  return {
    ready,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/**
 * Points the desk's sync at the ready service. The desk's settings are taken over when they are not
 * set or point at an earlier embedded run (a new port each start; a service set in Settings is kept); a service seeded just now from
 * this very desk's file gives it its cursor, scope and identity (the data is there already). Says
 * why not when the desk cannot use it.
 */
export async function connectDesk(
  core: Core,
  central: CentralReady,
  freshDesktop: boolean,
): Promise<{ ok: true; note?: string } | { ok: false; reason: string }> {
  const current = core.services.settings.get().settings.central;
  if (current.url && !current.url.startsWith('http://127.0.0.1:'))
    return { ok: true, note: `this desk syncs with ${current.url} (its Settings), not with the embedded service` };
  const { url, officeKey, scope, deskToken, clientId, version } = central;
  if (officeKey && freshDesktop) {
    // The central copy was seeded from this very desktop database: the desktop has it all already.
    const set = core.db.prepare(
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    core.db.transaction(() => {
      set.run('cursor', version);
      set.run('scope', scope);
      // And this desk's identity, issued for it when the service was seeded from its file.
      if (deskToken && clientId) {
        set.run('clientId', clientId);
        secretsOf(core.db).set('desk.token', deskToken);
        set.run('clientKeyHash', createHash('sha256').update(officeKey).digest('hex'));
        set.run('ackedThrough', '0');
      }
    })();
    identityOf(core.db).forget();
  }
  // The key is printed once, when the service seeds its office; later starts keep the one in the settings.
  const key = officeKey ?? current.officeKey;
  if (!key)
    return {
      ok: false,
      reason:
        'the embedded central service has its office already, but this desk has no key for it: set one in Settings or start with a new --data folder',
    };
  const outcome = await core.services.dispatch('settings.set', { central: { url, officeKey: key } });
  return outcome.ok
    ? { ok: true }
    : { ok: false, reason: `the desk did not take the service's address: ${outcome.error.message}` };
}
