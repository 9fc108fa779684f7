// The renderer's Content-Security-Policy, one list for every way it is served: the Electron app's
// app:// protocol (a header), the web shell (a header) and the built index.html (a <meta> fallback,
// for a response whose header got lost). No remote content at all: the renderer is our own bundle and
// talks only to its origin (or to the main process over IPC).
export const RENDERER_CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // naive-ui injects its styles at run time
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'self' blob:", // the PDF preview
  "base-uri 'none'",
  "form-action 'none'",
];

/** As a header: `frame-ancestors` too (a <meta> CSP ignores it, so the meta leaves it out). */
export const RENDERER_CSP_HEADER = [...RENDERER_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** As the <meta http-equiv> of the built index.html. */
export const RENDERER_CSP_META = RENDERER_CSP_DIRECTIVES.join('; ');
