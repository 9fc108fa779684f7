// How the desktop talks to the central service: the address and office key from the settings, this
// desk's own credentials once the service issued them (the office key only registers the desk), the
// protocol version on every request, JSON bodies, and `{ ok, result | error }` answers turned into
// results or AppErrors. The one HTTP client for sync, sign-in, web-account actions and operators.
import { AppError } from '../../src-shared/errors';
import { mayRetry, RETRY } from '../../src-shared/retry';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/replication/model';
import type { createSettingsService } from './settings';

export type Fetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface CentralTarget {
  url: string;
  /** the office key from the settings: what registers this desk */
  key: string;
}

export interface RequestInit {
  method?: string;
  body?: unknown;
  timeoutMs?: number;
  /** false for a request that must not reach the service twice (it sends a letter) */
  retry?: boolean;
  headers?: Record<string, string>;
  /**
   * 'office': authenticate with the office key even when this desk has its own credentials; 'none':
   * no credentials at all (`desk.enroll`: the one-time code is them)
   */
  as?: 'desk' | 'office' | 'none';
}

export function createCentralClient(
  settings: ReturnType<typeof createSettingsService>,
  fetchImpl: Fetch = (url, init) => fetch(url, init as globalThis.RequestInit),
  deskToken: () => string | null = () => null,
) {
  /**
   * The configured service, or null while the office has none (the desktop then works alone): an
   * address and either the office key or this desk's own credentials (an enrolled desk has no key).
   */
  const target = (): CentralTarget | null => {
    const { url, officeKey } = settings.get().settings.central;
    if (!url.trim() || (!officeKey.trim() && !deskToken())) return null;
    return { url: url.trim().replace(/\/+$/, ''), key: officeKey.trim() };
  };

  async function send(to: CentralTarget, path: string, init: RequestInit = {}) {
    const bearer = init.as === 'office' ? to.key : (deskToken() ?? to.key);
    const auth: Record<string, string> = init.as === 'none' ? {} : { Authorization: `Bearer ${bearer}` };
    // Callers send only requests that are safe to repeat (a push is answered from the record), so a
    // connection dropped on a reused socket is tried once more at once before the service counts as unreachable.
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetchImpl(`${to.url}${path}`, {
          method: init.method ?? 'GET',
          headers: {
            ...auth,
            [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
            ...(init.body ? { 'Content-Type': 'application/json' } : {}),
            ...init.headers,
          },
          body: init.body ? JSON.stringify(init.body) : undefined,
          signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
        });
      } catch (error) {
        if (init.retry !== false && mayRetry(RETRY.request, attempt)) continue;
        const timedOut = (error as Error).name === 'TimeoutError';
        throw new AppError('UNAVAILABLE', `The central service does not answer: ${(error as Error).message}`, {
          reason: timedOut ? 'sync.timeout' : 'sync.unreachable',
        });
      }
    }
  }

  function failure(
    status: number,
    body: { error?: { code: string; message: string; details?: unknown } } | null,
  ): AppError {
    if (body?.error) return AppError.from(body.error);
    // No answer of ours: a proxy's or a crashed process's page.
    return new AppError(status >= 500 ? 'UNAVAILABLE' : 'BAD_REQUEST', `HTTP ${status}`, {
      reason: status >= 500 ? 'sync.unreachable' : 'sync.notAquaDesk',
      status,
    });
  }

  async function request(to: CentralTarget, path: string, init: RequestInit = {}): Promise<unknown> {
    const response = await send(to, path, init);
    const body = (await response.json().catch(() => null)) as {
      ok?: boolean;
      result?: unknown;
      error?: { code: string; message: string };
    } | null;
    if (response.status >= 200 && response.status < 300 && body?.ok) return body.result;
    throw failure(response.status, body);
  }

  /** A response's text (a pull page is parsed where it is applied: here or in the worker). */
  async function requestText(to: CentralTarget, path: string): Promise<string> {
    const response = await send(to, path);
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return text;
    let body = null;
    try {
      body = JSON.parse(text) as { error?: { code: string; message: string } };
    } catch {
      // not JSON: the status says enough
    }
    throw failure(response.status, body);
  }

  return { target, request, requestText };
}

export type CentralClient = ReturnType<typeof createCentralClient>;

/**
 * A request on behalf of the signed-in operator (their central session), or why it cannot be made: no
 * service configured, signed in without the connection, or no answer (each said with the caller's reason).
 * A read (no body) may be repeated; a change is sent once.
 */
export async function requestAsOperator(
  client: CentralClient,
  centralSession: string | null,
  path: string,
  init: { body?: unknown; timeoutMs: number; reasons: { notConfigured: string; offline: string } },
): Promise<unknown> {
  const target = client.target();
  if (!target)
    throw new AppError('UNAVAILABLE', 'No central service is configured', { reason: init.reasons.notConfigured });
  if (!centralSession)
    throw new AppError('UNAUTHORIZED', 'Signed in without the connection', { reason: 'session.onlineRequired' });
  try {
    return await client.request(target, path, {
      method: init.body === undefined ? 'GET' : 'POST',
      body: init.body,
      headers: { 'X-Operator-Session': centralSession },
      timeoutMs: init.timeoutMs,
      retry: init.body === undefined,
    });
  } catch (error) {
    const e = AppError.from(error);
    if (e.code === 'UNAVAILABLE') throw new AppError('UNAVAILABLE', e.message, { reason: init.reasons.offline });
    throw e;
  }
}
