// `npm run web [-- --data DIR --demo N --port P]`: builds the app (unless out/ is newer than every file
// it is built from), then starts the web shell.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
// What electron-vite builds from (a deleted file changes its folder's time); and what it builds.
const INPUT_DIRS = ['src-main', 'src-preload', 'src-renderer', 'src-shared', 'resources'];
const INPUT_FILES = ['electron.vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

const mtime = (path) => {
  try {
    return statSync(join(root, path)).mtimeMs;
  } catch {
    return null;
  }
};

function newestIn(dir) {
  let newest = mtime(dir) ?? 0;
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : (mtime(path) ?? 0));
  }
  return newest;
}

function buildIsCurrent() {
  const built = OUTPUTS.map(mtime);
  if (built.some((t) => t === null)) return false;
  const newestInput = Math.max(...INPUT_DIRS.map(newestIn), ...INPUT_FILES.map((f) => mtime(f) ?? 0));
  return newestInput < Math.min(...built);
}

if (process.argv.includes('--rebuild') || !buildIsCurrent()) {
  const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) {
    process.stderr.write('AquaDesk: the build failed (see above); the web shell was not started.\n');
    process.exit(build.status ?? 1);
  }
} else {
  process.stderr.write('build: out/ is newer than its sources, not rebuilt (--rebuild to force)\n');
}
const args = process.argv.slice(2).filter((a) => a !== '--rebuild');
const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/web-shell/cli.ts', ...args], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
