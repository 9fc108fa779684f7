// `npm run docs:screenshots`: takes the user guide's screenshots anew. They come from the end-to-end
// tests themselves (real screens on the demo city), written straight into docs/screenshots.
import { spawnSync } from 'node:child_process';

const shell = process.platform === 'win32';
const env = { ...process.env, SCREENSHOT_DIR: 'docs/screenshots' };
for (const [command, args] of [
  ['npx', ['electron-vite', 'build', '--logLevel', 'warn']],
  ['npx', ['playwright', 'test']],
]) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell, env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
process.stdout.write('Screenshots written to docs/screenshots.\n');
