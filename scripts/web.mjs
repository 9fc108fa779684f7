// `npm run web [-- --data DIR --demo N --port P]`: builds the app, then starts the web shell.
import { spawn, spawnSync } from 'node:child_process';

const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
if (build.status !== 0) {
  process.stderr.write('AquaDesk: the build failed (see above); the web shell was not started.\n');
  process.exit(build.status ?? 1);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/web-shell/cli.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
