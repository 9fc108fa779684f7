// `npm start` (and `npm run dev` with --dev): runs the Electron app. Fetches Electron's binary on
// first use; where that is impossible, explains in one paragraph and points to `npm run web`.
import { spawn } from 'node:child_process';
import { NO_ELECTRON_MESSAGE, electronBinary, fetchElectronBinary } from './electron-binary.mjs';

const dev = process.argv.includes('--dev');
// `npm start -- --demo[=N]`: the demo city (20 000 accounts unless N) in a new data folder; without it
// the app starts as an installed desk does: empty, with its first-run screen.
const demo = process.argv.find((arg) => arg === '--demo' || arg.startsWith('--demo='));
const env = {
  ...process.env,
  ...(demo ? { AQUADESK_DEMO: demo.includes('=') ? demo.slice('--demo='.length) : '20000' } : {}),
};
let binary = electronBinary();
if (!binary) {
  process.stderr.write('Electron runtime not found; fetching it once (this can take a minute)...\n');
  binary = fetchElectronBinary();
}
if (!binary) {
  process.stderr.write(`\n${NO_ELECTRON_MESSAGE}\n`);
  process.exit(1);
}
const child = spawn('npx', ['electron-vite', dev ? 'dev' : 'preview'], {
  stdio: 'inherit',
  env,
  shell: process.platform === 'win32',
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
