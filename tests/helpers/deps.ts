// Which manifest must declare which import (docs/architecture.md, "Packages"). Every module a
// deployable loads at run time, by its relative imports from its entries, has each of its bare imports
// declared where that deployable's install finds it:
// - the desktop (root package.json): the Electron main process, the preload and the renderer, i.e. all of
//   src-main except its dev tools (web-shell/, cli/), src-preload and src-renderer, with every module of
//   src-shared they reach. Allowed: the root's `dependencies` and `devDependencies`. electron-vite keeps
//   exactly the root's `dependencies` external (they ship in the installer's node_modules) and bundles the
//   rest into out/, so a devDependency is fine where it is bundled (the renderer, cli-progress in main).
//   The root depends on no workspace: it bundles src-shared by relative path, so it declares what
//   src-shared imports itself. Also: the desktop never reaches src-server or the dev tools, and every
//   root `dependency` is imported by the main process or the preload (nothing shipped for nothing).
// - the central service (src-server/package.json): src-server and what it reaches (src-main/demo for
//   seeding). Allowed: its `dependencies` only (it runs from source under tsx, devDependencies omitted),
//   and, for a module inside a workspace it depends on (@aquadesk/shared), that workspace's `dependencies`.
// - the shared code (src-shared/package.json): src-shared, which reaches nothing outside itself.
//   Allowed: its `dependencies`.
// - dev tools (tests, bench, scripts, src-main/web-shell, src-main/cli, config files): they run from a
//   checkout after the root's `npm ci`, which installs every workspace, so any manifest's dependencies
//   or devDependencies will do — but declared somewhere, never present only by hoisting.
// Node built-ins and `electron` (the runtime itself) need no declaration. Type-only imports are erased
// at build time and are left to the type checker.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface Manifest {
  name: string;
  dir: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  workspaces: string[];
}

export interface ImportSite {
  file: string;
  specifier: string;
  line: number;
}

export interface Problem extends ImportSite {
  deployable: string;
  message: string;
}

export function readManifest(dir: string): Manifest {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Partial<Manifest>;
  return {
    name: json.name ?? '',
    dir,
    dependencies: json.dependencies ?? {},
    devDependencies: json.devDependencies ?? {},
    workspaces: json.workspaces ?? [],
  };
}

const builtins = new Set(builtinModules);

/** The npm package a specifier names; undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  const bare = specifier.split('?')[0]!;
  if (
    bare.startsWith('.') ||
    bare.startsWith('/') ||
    bare.startsWith('node:') ||
    builtins.has(bare) ||
    builtins.has(bare.split('/')[0]!)
  )
    return undefined;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function scriptText(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.vue')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

function literal(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/**
 * The imports a module makes at run time: static imports and re-exports that are not type-only,
 * `import('x')`, `require('x')` and `import.meta.resolve('x')` with a literal. An import whose every
 * binding is `type` is erased (as esbuild and tsc do); so is `import type` and `export type … from`.
 */
export function runtimeImports(file: string): ImportSite[] {
  if (!/\.(c|m)?[jt]s$|\.vue$/.test(file)) return [];
  const source = ts.createSourceFile(file, scriptText(file), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportSite[] = [];
  const add = (specifier: string, node: ts.Node) =>
    found.push({ file, specifier, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((e) => e.isTypeOnly)));
      const specifier = literal(node.moduleSpecifier);
      if (!typeOnly && specifier !== undefined) add(specifier, node);
    } else if (ts.isExportDeclaration(node)) {
      const specifier = literal(node.moduleSpecifier);
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly && specifier !== undefined) add(specifier, node);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      !node.isTypeOnly &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      const specifier = literal(node.moduleReference.expression);
      if (specifier !== undefined) add(specifier, node);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const specifier = literal(node.arguments[0]);
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve =
        ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && ts.isMetaProperty(callee.expression);
      if ((isImport || isRequire || isResolve) && specifier !== undefined) add(specifier, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const extensions = ['', '.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.vue', '/index.ts', '/index.js'];

/** The file a relative specifier names (queries such as electron-vite's `?modulePath` dropped). */
export function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier.split('?')[0]!);
  for (const extension of extensions) {
    const candidate = base + extension;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every module reached from the entries through relative imports, and the relative imports that name no file. */
export function importClosure(entries: Iterable<string>): { files: Set<string>; unresolved: ImportSite[] } {
  const files = new Set<string>();
  const unresolved: ImportSite[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const site of runtimeImports(file)) {
      if (packageOf(site.specifier) !== undefined || !/^\.\.?\//.test(site.specifier)) continue;
      const target = resolveRelative(file, site.specifier);
      if (target === undefined) unresolved.push(site);
      else queue.push(target);
    }
  }
  return { files, unresolved };
}

/** Source files under a folder (recursively), minus the folders named in `skip` (relative to `dir`). */
export function sourceFiles(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !skip.includes(relative(dir, path).split(sep).join('/'))) walk(path);
      } else if (/\.(c|m)?[jt]s$|\.vue$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + sep);
const names = (...records: Record<string, string>[]) => new Set(records.flatMap((r) => Object.keys(r)));
const always = new Set(['electron']);

export interface Layout {
  root: string;
  desktop: Manifest;
  server: Manifest;
  shared: Manifest;
  /** Files each deployable runs, with what they reach. */
  closures: Record<'desktop' | 'mainProcess' | 'server' | 'shared', { files: Set<string>; unresolved: ImportSite[] }>;
}

export function layout(root: string): Layout {
  const at = (...p: string[]) => join(root, ...p);
  const main = [at('src-main/electron/main.ts')].filter((f) => existsSync(f));
  const preload = [at('src-preload/index.ts')].filter((f) => existsSync(f));
  return {
    root,
    desktop: readManifest(root),
    server: readManifest(at('src-server')),
    shared: readManifest(at('src-shared')),
    closures: {
      // The preload is bundled whole (externalizeDeps: false), so only main's imports are shipped.
      mainProcess: importClosure(main),
      desktop: importClosure([
        ...main,
        ...preload,
        ...sourceFiles(at('src-main'), ['web-shell', 'cli']),
        ...sourceFiles(at('src-preload')),
        ...sourceFiles(at('src-renderer')),
      ]),
      server: importClosure(sourceFiles(at('src-server'))),
      shared: importClosure(sourceFiles(at('src-shared'))),
    },
  };
}

/** Every breach of the rules at the top of this file, for the repository (or a made-up one) at `root`. */
export function dependencyProblems(root: string): Problem[] {
  const l = layout(root);
  const problems: Problem[] = [];
  const workspaces = [l.server, l.shared];
  const report = (deployable: string, site: ImportSite, message: string) =>
    problems.push({ deployable, ...site, file: relative(root, site.file).split(sep).join('/'), message });

  const check = (
    deployable: string,
    files: Iterable<string>,
    allowedFor: (file: string) => Set<string>,
    manifestName: (file: string) => string,
  ) => {
    for (const file of files) {
      for (const site of runtimeImports(file)) {
        const pkg = packageOf(site.specifier);
        if (pkg === undefined || always.has(pkg)) continue;
        if (!allowedFor(file).has(pkg)) report(deployable, site, `${pkg} is not declared in ${manifestName(file)}`);
      }
    }
  };

  for (const deployable of ['desktop', 'server', 'shared'] as const)
    for (const site of l.closures[deployable].unresolved) report(deployable, site, `${site.specifier} names no file`);

  // The desktop.
  const desktopAllowed = names(l.desktop.dependencies, l.desktop.devDependencies);
  check(
    'desktop',
    l.closures.desktop.files,
    () => desktopAllowed,
    () => 'package.json',
  );
  for (const file of l.closures.desktop.files) {
    for (const dir of ['src-server', 'src-main/web-shell', 'src-main/cli']) {
      if (inside(file, join(root, dir)))
        report('desktop', { file, specifier: relative(root, file), line: 0 }, `the desktop reaches ${dir}/`);
    }
  }
  const shipped = new Set<string>();
  for (const file of l.closures.mainProcess.files)
    for (const site of runtimeImports(file)) shipped.add(packageOf(site.specifier) ?? '');
  for (const pkg of Object.keys(l.desktop.dependencies)) {
    if (!shipped.has(pkg))
      report(
        'desktop',
        { file: join(root, 'package.json'), specifier: pkg, line: 0 },
        `${pkg} is a dependency of the desktop (shipped in the installer) that its main process never imports`,
      );
  }

  // The central service: its own manifest, and the manifests of the workspaces it depends on for their files.
  const serverWorkspaces = workspaces.filter((w) => w !== l.server && w.name in l.server.dependencies);
  const serverOwner = (file: string) => serverWorkspaces.find((w) => inside(file, w.dir)) ?? l.server;
  check(
    'server',
    l.closures.server.files,
    (file) => names(serverOwner(file).dependencies),
    (file) =>
      relative(root, join(serverOwner(file).dir, 'package.json'))
        .split(sep)
        .join('/') + ' (dependencies)',
  );

  // The shared code.
  check(
    'shared',
    l.closures.shared.files,
    () => names(l.shared.dependencies),
    () => 'src-shared/package.json (dependencies)',
  );
  for (const file of l.closures.shared.files) {
    if (!inside(file, l.shared.dir))
      report('shared', { file, specifier: relative(root, file), line: 0 }, 'src-shared reaches outside itself');
  }

  // Dev tools.
  const everything = names(...[l.desktop, ...workspaces].flatMap((m) => [m.dependencies, m.devDependencies]));
  const tools = [
    ...['tests', 'bench', 'scripts', 'src-main/web-shell', 'src-main/cli'].flatMap((dir) =>
      sourceFiles(join(root, dir)),
    ),
    ...readdirSync(root)
      .filter((f) => /\.config\.(c|m)?[jt]s$/.test(f))
      .map((f) => join(root, f)),
  ];
  check(
    'dev tools',
    tools,
    () => everything,
    () => 'any manifest',
  );
  return problems;
}
