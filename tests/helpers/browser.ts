// A browser as the web shell sees it: the start token in every request and a cookie jar of its own
// (what `curl -b/-c` or a browser profile keeps), so two of them are two operator sessions.
export interface Browser {
  /** POST /api/<operation>; the body as text (or an object, sent as JSON). */
  post(
    operation: string,
    body?: string | object,
    options?: { token?: string | null; type?: string },
  ): Promise<Response>;
  /** An operation's outcome as JSON. */
  call<T = unknown>(
    operation: string,
    input?: object,
  ): Promise<{
    ok: boolean;
    result: T;
    error?: { code: string; details?: { reason?: string; fields?: { path: string; code: string }[] } };
  }>;
  /** GET /api/events with this browser's cookie. */
  events(signal: AbortSignal): Promise<Response>;
  cookies: Map<string, string>;
  /** The Set-Cookie headers of the last response. */
  lastSetCookie: string[];
}

export function browser(base: string, token: string): Browser {
  const cookies = new Map<string, string>();
  const jar: Browser = {
    cookies,
    lastSetCookie: [],
    async post(operation, body = '{}', options = {}) {
      const headers: Record<string, string> = { 'content-type': options.type ?? 'application/json' };
      const use = options.token === undefined ? token : options.token;
      if (use !== null) headers.authorization = `Bearer ${use}`;
      if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(`${base}/api/${operation}`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      jar.lastSetCookie = response.headers.getSetCookie();
      for (const line of jar.lastSetCookie) {
        const [pair, ...attributes] = line.split(';').map((part) => part.trim());
        const [name, value] = pair!.split('=') as [string, string];
        const expired = attributes.some(
          (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
        );
        if (expired || value === '') cookies.delete(name);
        else cookies.set(name, value);
      }
      return response;
    },
    async call(operation, input = {}) {
      return (await (await jar.post(operation, input)).json()) as never;
    },
    events(signal) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      return fetch(`${base}/api/events`, { headers, signal });
    },
  };
  return jar;
}

/** Reads an SSE response until `until` appears in it or `ms` pass; returns what was read. */
export async function readEvents(response: Response, until: string, ms: number): Promise<string> {
  const reader = response.body!.getReader();
  let text = '';
  const deadline = Date.now() + ms;
  while (!text.includes(until) && Date.now() < deadline) {
    const next = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now()))),
    ]);
    if (!next || next.done) break;
    text += new TextDecoder().decode(next.value);
  }
  return text;
}
