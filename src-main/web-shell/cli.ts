// `npm run web`: the whole app on one machine with no set-up. Creates the data folder, fills it with
// demo data on first run, serves the built renderer and prints exactly one line with the URL.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCore } from '../core';
import { ensureDemoData } from '../demo-setup';
import { startEmbeddedCentral } from './central';
import { startWebShell } from './server';

const USAGE = `Usage: npm run web -- [--data DIR] [--demo N] [--port PORT] [--central embedded|none]
  --data DIR      data folder (default ~/.aquadesk)
  --demo N        accounts of demo data to generate on first run (default 20000; 0 = none)
  --port PORT     port on 127.0.0.1 (default: a free port)
  --central MODE  embedded (default): also run the central service on PGlite in DIR/central and sync
                  with it; none: the desktop alone (a central service set in Settings is used as is)`;

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
    if (!Number.isInteger(demo) || demo < 0 || demo > 2_000_000) fail(`--demo must be a whole number from 0 to 2000000`);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be a port number`);
    const central = values.central ?? 'embedded';
    if (central !== 'embedded' && central !== 'none') fail('--central must be embedded or none');
    return { dataDir: resolve(values.data ?? join(homedir(), '.aquadesk')), demo, port, central };
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  const options = parse();
  try {
    await ensureDemoData(options.dataDir, { accounts: options.demo, progress: process.stderr.isTTY ? 'bar' : 'none' });
  } catch (error) {
    fail(`Cannot create demo data in ${options.dataDir}: ${(error as Error).message}`);
  }
  const core = (() => {
    try {
      return openCore({ dataDir: options.dataDir, shell: 'web', syncWorker: new URL('../services/sync-worker.ts', import.meta.url), log: (m, e) => process.stderr.write(`${m}: ${String(e)}\n`) });
    } catch (error) {
      const e = error as { code?: string; message?: string; details?: unknown };
      fail(e.code === 'DB_TOO_NEW'
        ? `The database in ${options.dataDir} was written by a newer AquaDesk (${JSON.stringify(e.details)}). Use a newer version or another --data folder.`
        : `Cannot open the data folder ${options.dataDir}: ${e.message ?? String(error)}`);
    }
  })();
  core.startBackground();
  const central = options.central === 'embedded' ? startEmbeddedCentral(core, options.dataDir, (line) => process.stderr.write(`[central] ${line}\n`)) : null;
  const shell = await startWebShell({
    services: core.services,
    events: core.ctx.events,
    rendererDir: resolve(import.meta.dirname, '../../out/renderer'),
    port: options.port,
  });
  process.stdout.write(`AquaDesk web shell: ${shell.url}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await shell.close();
    await central?.stop();
    core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
