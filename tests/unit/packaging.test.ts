import { FuseV1Options } from '@electron/fuses';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dependencyProblems, readManifest, type Manifest } from '../helpers/deps';
import { makeTempDir } from '../helpers/tmp';

const require = createRequire(import.meta.url);
const { fuses } = require('../../scripts/fuses.cjs') as { fuses: Record<number, boolean> };
const root = fileURLToPath(new URL('../..', import.meta.url));
const builder = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
const desktop = readManifest(root);
const server = readManifest(join(root, 'src-server'));
const shared = readManifest(join(root, 'src-shared'));

/** What only the central service needs: none of it may reach the installer. */
const SERVICE_ONLY = [
  '@electric-sql/pglite',
  'pg',
  'pg-copy-streams',
  'fastify',
  '@fastify/cookie',
  '@fastify/formbody',
  '@fastify/static',
  'rate-limiter-flexible',
];

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

describe('packages by deployable', () => {
  it('has the service and the shared code as workspaces of the desktop root', () => {
    expect(desktop.workspaces).toEqual(expect.arrayContaining(['src-server', 'src-shared']));
    expect(server.name).toBe('@aquadesk/server');
    expect(shared.name).toBe('@aquadesk/shared');
    expect(server.dependencies['@aquadesk/shared']).toBeDefined();
  });

  it("keeps the service's packages out of the desktop's dependencies (the installer's node_modules)", () => {
    for (const name of SERVICE_ONLY) expect(desktop.dependencies, name).not.toHaveProperty(name);
    for (const name of SERVICE_ONLY.filter((n) => n !== '@fastify/static'))
      expect(server.dependencies, name).toHaveProperty(name);
    // Native: electron-vite must keep it external and electron-builder rebuild it for Electron.
    expect(desktop.dependencies).toHaveProperty('better-sqlite3');
  });

  it('gives a package named by several manifests the same version range in each', () => {
    const manifests: Manifest[] = [desktop, server, shared];
    const ranges = new Map<string, Set<string>>();
    for (const m of manifests) {
      for (const [name, range] of Object.entries({ ...m.dependencies, ...m.devDependencies })) {
        if (!ranges.has(name)) ranges.set(name, new Set());
        ranges.get(name)!.add(range);
      }
    }
    const differing = [...ranges]
      .filter(([, set]) => set.size > 1)
      .map(([name, set]) => `${name}: ${[...set].join(' vs ')}`);
    expect(differing).toEqual([]);
  });

  it("declares every module's run-time imports in the manifest its deployable installs", () => {
    expect(dependencyProblems(root).map((p) => `${p.deployable}: ${p.file}:${p.line} ${p.message}`)).toEqual([]);
  });

  it('packs only the built app: the files allowlist names out/** and package.json, nothing of src-server', () => {
    const files = /^files:\n((?:\s+-.*\n)+)/m.exec(builder)?.[1];
    expect(files).toBeDefined();
    const patterns = files!
      .split('\n')
      .map((l) =>
        l
          .trim()
          .replace(/^-\s*/, '')
          .replace(/^'(.*)'$/, '$1'),
      )
      .filter(Boolean);
    expect(patterns.filter((p) => !p.startsWith('!'))).toEqual(['out/**', 'package.json']);
    expect(builder).not.toMatch(/src-server|src-shared/);
    // out/ holds electron-vite's three outputs only (the web shell and the service run from source).
    const viteConfig = readFileSync(join(root, 'electron.vite.config.ts'), 'utf8');
    expect([...viteConfig.matchAll(/outDir: (?:resolve\(__dirname, )?'([^']+)'/g)].map((m) => m[1])).toEqual([
      'out/main',
      'out/preload',
      'out/renderer',
    ]);
  });

  it("has electron-builder collect none of the service's packages into the installer", async () => {
    // electron-builder's own collector (`npm ls` from the root, then the root's production dependencies).
    const builderRequire = createRequire(require.resolve('electron-builder/package.json'));
    const libDir = dirname(builderRequire.resolve('app-builder-lib/package.json'));
    const collector = builderRequire(join(libDir, 'out/node-module-collector/index.js')) as {
      PM: { NPM: string };
      getCollectorByPackageManager(
        pm: string,
        dir: string,
        tmp: unknown,
      ): { getNodeModules(o: { packageName: string }): Promise<{ nodeModules: Module[] }> };
    };
    type Module = { name: string; dependencies?: Module[] };
    const { TmpDir } = createRequire(join(libDir, 'package.json'))('temp-file') as {
      TmpDir: new (name: string) => { cleanup(): Promise<void> };
    };
    const tmp = new TmpDir('aquadesk-packaging-test');
    try {
      const { nodeModules } = await collector
        .getCollectorByPackageManager(collector.PM.NPM, root, tmp)
        .getNodeModules({ packageName: desktop.name });
      const names = new Set<string>();
      const walk = (list: Module[]) => list.forEach((m) => (names.add(m.name), walk(m.dependencies ?? [])));
      walk(nodeModules);
      for (const name of Object.keys(desktop.dependencies)) expect(names, name).toContain(name);
      for (const name of [...SERVICE_ONLY, 'pino', 'avvio', 'pg-pool', '@aquadesk/server', '@aquadesk/shared', 'tsx'])
        expect(names, name).not.toContain(name);
    } finally {
      await tmp.cleanup();
    }
  }, 60_000);
});

describe('the dependency checker', () => {
  const temp = makeTempDir('aquadesk-deps-');
  afterAll(() => temp.cleanup());
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(temp.dir, path)), { recursive: true });
    writeFileSync(join(temp.dir, path), text);
  };

  it('flags undeclared, misplaced and shipped-for-nothing packages, and never type-only imports', () => {
    write(
      'package.json',
      JSON.stringify({
        name: 'desk',
        workspaces: ['src-shared', 'src-server'],
        dependencies: { zod: '1', 'never-imported': '1' },
        devDependencies: { vue: '1', 'cli-progress': '1' },
      }),
    );
    write('src-shared/package.json', JSON.stringify({ name: '@x/shared', dependencies: { zod: '1' } }));
    write(
      'src-server/package.json',
      JSON.stringify({
        name: '@x/server',
        dependencies: { '@x/shared': '*', fastify: '1' },
        devDependencies: { 'server-dev-only': '1' },
      }),
    );
    write(
      'src-main/electron/main.ts',
      [
        "import { z } from 'zod';",
        "import type { A } from 'type-only';",
        "import { type B, type C } from 'type-only-too';",
        "import { SingleBar } from 'cli-progress';",
        "import Fastify from 'fastify';",
        "import worker from '../worker?modulePath';",
        "import { app } from 'electron';",
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'path';",
        "import { s } from '../../src-shared/a';",
        "import { start } from '../../src-server/app';",
        "import { gone } from './missing';",
        'export { z, SingleBar, Fastify, worker, app, readFileSync, join, s, start, gone };',
        'export type { A, B, C };',
      ].join('\n'),
    );
    write('src-main/worker.ts', "export const m = await import('dynamic-pkg');\n");
    // A dev tool: the desktop does not run it, so the service's fastify (declared in a workspace) is fine.
    write('src-main/web-shell/server.ts', "import Fastify from 'fastify';\nexport { Fastify };\n");
    write('src-shared/a.ts', "import { z } from 'zod';\nexport { q } from 'shared-undeclared';\nexport const s = z;\n");
    write(
      'src-server/app.ts',
      "import Fastify from 'fastify';\nimport pg from 'pg';\nimport { s } from '../src-shared/a';\nimport dev from 'server-dev-only';\nconst cjs = require('cjs-pkg');\nexport const start = [Fastify, pg, s, dev, cjs];\n",
    );
    write(
      'src-renderer/App.vue',
      "<template><div /></template>\n<script setup lang=\"ts\">\nimport { ref } from 'vue';\nimport x from 'renderer-undeclared';\nconst r = ref(x);\n</script>\n",
    );
    write('tests/a.test.ts', "import { it } from 'vitest';\nimport Fastify from 'fastify';\nit('', () => Fastify);\n");

    const problems = dependencyProblems(temp.dir).map((p) => `${p.deployable}: ${p.file} ${p.message}`);
    expect(problems.sort()).toEqual(
      [
        'desktop: src-main/electron/main.ts ./missing names no file',
        'desktop: src-main/electron/main.ts fastify is not declared in package.json',
        'desktop: src-main/worker.ts dynamic-pkg is not declared in package.json',
        'desktop: src-shared/a.ts shared-undeclared is not declared in package.json',
        'desktop: src-server/app.ts fastify is not declared in package.json',
        'desktop: src-server/app.ts pg is not declared in package.json',
        'desktop: src-server/app.ts server-dev-only is not declared in package.json',
        'desktop: src-server/app.ts cjs-pkg is not declared in package.json',
        'desktop: src-renderer/App.vue renderer-undeclared is not declared in package.json',
        'desktop: src-server/app.ts the desktop reaches src-server/',
        'desktop: package.json never-imported is a dependency of the desktop (shipped in the installer) that its main process never imports',
        'server: src-server/app.ts pg is not declared in src-server/package.json (dependencies)',
        'server: src-server/app.ts server-dev-only is not declared in src-server/package.json (dependencies)',
        'server: src-server/app.ts cjs-pkg is not declared in src-server/package.json (dependencies)',
        'server: src-shared/a.ts shared-undeclared is not declared in src-shared/package.json (dependencies)',
        'shared: src-shared/a.ts shared-undeclared is not declared in src-shared/package.json (dependencies)',
        'dev tools: tests/a.test.ts vitest is not declared in any manifest',
      ].sort(),
    );
  });
});
