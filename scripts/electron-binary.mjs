// Finds Electron's binary, fetching it on first use where the network allows. npm install never
// fetches it (package.json's allowScripts denies electron's postinstall), so `npm install` succeeds
// on machines that cannot reach Electron's download host.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The binary's path, or null when it is not there. */
export function electronBinary() {
  const dir = electronDir();
  if (!dir) return null;
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Runs electron's own installer once (bounded in time); returns the binary or null. */
export function fetchElectronBinary({ timeoutMs = 180_000 } = {}) {
  const dir = electronDir();
  if (!dir) return null;
  const result = spawnSync(process.execPath, [join(dir, 'install.js')], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: timeoutMs,
    encoding: 'utf8',
  });
  if (result.status !== 0) return null;
  return electronBinary();
}

export const NO_ELECTRON_MESSAGE = `AquaDesk could not start its desktop window: the Electron runtime is not installed
on this machine and could not be downloaded (npm install never downloads it; the first
\`npm start\` tries, and that failed - usually because this machine has no access to
Electron's download server). On a machine with internet access, run \`npm start\` again
and it will fetch Electron once; behind a proxy, set ELECTRON_MIRROR or HTTPS_PROXY
first. To use AquaDesk here right now, run \`npm run web\`: it starts the same app as a
local web page and prints the address to open in a browser.`;
