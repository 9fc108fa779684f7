import { FuseV1Options } from '@electron/fuses';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { fuses } = require('../../scripts/fuses.cjs') as { fuses: Record<number, boolean> };
const builder = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { allowScripts: Record<string, boolean> };

describe('packaging', () => {
  it('flips the security fuses on the packaged binary', () => {
    expect(fuses[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(builder).toMatch(/afterPack: scripts\/fuses\.cjs/);
  });

  it('builds a per-user NSIS installer in Russian and Kazakh and a Linux AppImage', () => {
    expect(builder).toMatch(/perMachine: false/);
    expect(builder).toMatch(/installerLanguages: \[ru_RU, kk_KZ/);
    expect(builder).toMatch(/target: \[AppImage\]/);
  });

  it('never lets npm install download Electron, and compiles better-sqlite3', () => {
    expect(pkg.allowScripts.electron).toBe(false);
    expect(pkg.allowScripts['better-sqlite3']).toBe(true);
  });
});
