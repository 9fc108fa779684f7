// The renderer is served from a privileged custom scheme, app://aquadesk/, not from file:// (Electron's
// security checklist, item 18). Over file:// the page's origin is 'null': Vite's
// `<script type="module" crossorigin>` is refused, and with the GrantFileProtocolExtraPrivileges fuse
// off (scripts/fuses.cjs) it must stay that way. The handler serves only files inside the built
// renderer folder, GET and HEAD only, with the CSP and nosniff on every answer. It takes a web
// `Request` and gives a `Response`, so a test runs the very same code under plain Node.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { RENDERER_CSP_HEADER } from '../../src-shared/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'aquadesk';
/** Where the window loads the app; also what the IPC sender check and the navigation rules trust. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * What the scheme may do, registered before the app is ready: standard (relative URLs, an origin of its
 * own), secure (like https: module scripts, crypto.subtle), fetch API and code cache. Not bypassCSP.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

const headersFor = (type: string) => ({
  'Content-Type': type,
  'Content-Security-Policy': RENDERER_CSP_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
});

const answer = (status: number, text: string) =>
  new Response(text, { status, headers: headersFor('text/plain; charset=utf-8') });

/**
 * The file of the renderer folder a request names, or null for anything outside it (another host,
 * `..`, an encoded separator, a NUL byte, a malformed escape).
 */
export function fileOfRequest(rendererDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || /%2f|%5c/i.test(parsed.pathname)) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (!inside || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

/** The app:// handler: the built renderer's files and nothing else. */
export function appRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'Method not allowed');
    const file = fileOfRequest(rendererDir, request.url);
    if (!file) return answer(404, 'Not found');
    try {
      if (!(await stat(file)).isFile()) return answer(404, 'Not found');
      const body = await readFile(file);
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: headersFor(type) });
    } catch {
      return answer(404, 'Not found');
    }
  };
}

/** The part of Electron's `protocol` module this needs (a fake in tests). */
export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: (typeof APP_SCHEME_PRIVILEGES)[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** Before `app.whenReady()`: the scheme's privileges. */
export function registerAppScheme(protocol: Pick<ProtocolLike, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** Once ready: app:// serves the built renderer. */
export function serveApp(protocol: Pick<ProtocolLike, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, appRequestHandler(rendererDir));
}
