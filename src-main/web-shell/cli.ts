// `npm run web`: the whole app on one machine with no set-up. Creates the data folder, fills it with
// demo data on first run, starts the embedded central service beside it (seeded from that data) and
// serves the built renderer. It prints exactly one line on stdout, the URL, and only when the desk is
// online with its service (or, having said why, cannot be); until then progress lines on stderr,
// whole lines unless a terminal shows the demo data's bar.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCore, type Core } from '../core';
import { ensureDemoData } from '../demo-setup';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import { connectDesk, spawnEmbeddedCentral, type EmbeddedCentral } from './central';
import { startWebShell, type WebShell } from './server';

const USAGE = `Usage: npm run web -- [--data DIR] [--demo N] [--port PORT] [--central embedded|none]
  --data DIR      data folder (default ~/.aquadesk)
  --demo N        accounts of demo data to generate on first run (default 20000; 0 = none)
  --port PORT     port on 127.0.0.1 (default: a free port)
  --central MODE  embedded (default): also run the central service on PGlite in DIR/central and sync
                  with it; none: the desktop alone (a central service set in Settings is used as is)
  --rebuild       (npm run web) build the app even when out/ is newer than its sources
The address is printed once the desk is online with the embedded service (progress lines until
then, on stderr); should the service not start or not answer, it says why and starts offline.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        data: { type: 'string' },
        demo: { type: 'string' },
        port: { type: 'string' },
        central: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const demo = Number(values.demo ?? 20_000);
    const port = Number(values.port ?? 0);
    if (!Number.isInteger(demo) || demo < 0 || demo > 2_000_000)
      fail(`--demo must be a whole number from 0 to 2000000`);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be a port number`);
    const central = values.central ?? 'embedded';
    if (central !== 'embedded' && central !== 'none') fail('--central must be embedded or none');
    return { dataDir: resolve(values.data ?? join(homedir(), '.aquadesk')), demo, port, central };
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);
const since = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const OFFLINE_NOTE =
  'The desk works offline meanwhile: sign-ins are offline ones and changes wait in «Отправка» until it syncs.';
/** How long the first sync may keep failing to reach a service that said it is ready. */
const FIRST_SYNC_MS = 60_000;

/** Demo data progress: a bar on a terminal, else a line every 10 %. */
function demoProgress(accounts: number) {
  if (process.stderr.isTTY) return { progress: 'bar' as const, onProgress: undefined };
  let tenths = -1;
  return {
    progress: 'none' as const,
    onProgress: (done: number, total: number) => {
      const now = Math.floor((done * 10) / total);
      if (now > tenths)
        say(`demo data: ${now * 10}% (${Math.round((done / total) * accounts)} of ${accounts} accounts)`);
      tenths = now;
    },
  };
}

/**
 * Waits for the embedded service and the desk's first sync with it, saying how it goes. Resolves when
 * the desk is online, or (having said why) when it cannot be: the shell then starts offline.
 */
async function bringOnline(
  core: Core,
  central: EmbeddedCentral,
  freshDesktop: boolean,
  logFile: string,
): Promise<void> {
  const started = performance.now();
  const up = await central.ready;
  if (!up.ok) return say(`central service: not started, ${up.reason} (its log: ${logFile}). ${OFFLINE_NOTE}`);
  say(`central service: ready at ${up.central.url} (${since(started)})`);
  const connected = await connectDesk(core, up.central, freshDesktop);
  if (!connected.ok) return say(`central service: ${connected.reason}. ${OFFLINE_NOTE}`);
  if (connected.note) say(`central service: ${connected.note}`);
  say('first sync…');
  const syncStarted = performance.now();
  let shown = -1;
  const watch = setInterval(() => {
    const percent = core.services.sync.status().progressPercent;
    if (percent !== null && percent >= shown + 10) say(`first sync: ${(shown = percent)}%`);
  }, 2_000);
  try {
    for (;;) {
      const status = await core.services.sync.syncNow();
      if (status.state === 'online') return say(`first sync: online (${since(syncStarted)})`);
      const why = status.problem
        ? `${status.problem.kind}: ${status.problem.reason ?? status.problem.code} (${status.problem.message})`
        : status.state;
      if (status.state !== 'offline' || performance.now() - syncStarted > FIRST_SYNC_MS)
        return say(`first sync: not done, ${why}. ${OFFLINE_NOTE}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    clearInterval(watch);
  }
}

async function main(): Promise<void> {
  const options = parse();
  const started = performance.now();
  let central: EmbeddedCentral | null = null;
  let shell: WebShell | null = null;
  let core: Core | null = null;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await shell?.close();
    await central?.stop();
    core?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The service first: its database opens while the desk's demo data is made, and it seeds itself
  // from that file as soon as it is there.
  if (options.central === 'embedded') {
    say('central service: starting…');
    central = spawnEmbeddedCentral(options.dataDir, { progress: say, log: (line) => say(`[central] ${line}`) });
  }
  try {
    const progress = demoProgress(options.demo);
    const made = await ensureDemoData(options.dataDir, { accounts: options.demo, ...progress });
    if (made) say(`demo data: ${made.accounts} accounts, ${made.months} months, in ${made.seconds.toFixed(1)} s`);
    // The web shell's demo is a default of its own (the desktop app starts empty unless --demo): say so.
    if (options.demo > 0)
      say(
        `demo city: operators admin, senior, kassa1, kassa2, call1, call2 with the published password ${DEMO_OPERATOR_PASSWORD} (the web shell's demo default; --demo 0 for none; the desktop app starts empty unless --demo)`,
      );
  } catch (error) {
    fail(`Cannot create demo data in ${options.dataDir}: ${(error as Error).message}`);
  }
  core = (() => {
    try {
      return openCore({
        dataDir: options.dataDir,
        shell: 'web',
        syncWorker: new URL('../services/sync-worker.ts', import.meta.url),
        log: (m, e) => say(e === null || e === undefined ? m : `${m}: ${String(e)}`),
      });
    } catch (error) {
      const e = error as { code?: string; message?: string; details?: unknown };
      fail(
        e.code === 'DB_TOO_NEW'
          ? `The database in ${options.dataDir} was written by a newer AquaDesk (${JSON.stringify(e.details)}). Use a newer version or another --data folder.`
          : `Cannot open the data folder ${options.dataDir}: ${e.message ?? String(error)}`,
      );
    }
  })();
  const freshDesktop = core.db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get() === undefined;
  // Until the embedded service is up the status strip says «запускается», not «нет связи».
  if (central) core.services.sync.expectService(central.ready);
  core.startBackground();
  shell = await startWebShell({
    services: core.services,
    events: core.ctx.events,
    rendererDir: resolve(import.meta.dirname, '../../out/renderer'),
    port: options.port,
  });
  // The address only once the desk is in sync with its service, so the first sign-in is an online one.
  if (central) await bringOnline(core, central, freshDesktop, join(core.ctx.logDir, 'central.log'));
  if (stopping) return;
  say(`started in ${since(started)}`);
  process.stdout.write(`AquaDesk web shell: ${shell.url}\n`);
}

void main();
