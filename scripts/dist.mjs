// `npm run dist`: builds the installer for this platform (Windows: NSIS; Linux: AppImage).
// Needs Electron's binary (electron-builder packages it and rebuilds better-sqlite3 for its ABI).
import { spawnSync } from 'node:child_process';
import { electronBinary, fetchElectronBinary } from './electron-binary.mjs';

const shell = process.platform === 'win32';
if (!electronBinary() && !fetchElectronBinary()) {
  process.stderr.write(`AquaDesk: cannot build an installer here. Packaging needs Electron's runtime for this
platform, which is not installed and could not be downloaded (this machine has no access to
Electron's download server). Run \`npm run dist\` on a machine with internet access (for the
Windows installer: on Windows, or with Wine), or set ELECTRON_MIRROR to a reachable mirror.\n`);
  process.exit(1);
}
const steps = [
  ['npx', ['electron-vite', 'build']],
  ['npx', ['electron-builder', 'install-app-deps']], // better-sqlite3 for Electron's ABI
  ['npx', ['electron-builder', '--publish', 'never']],
];
for (const [command, args] of steps) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
