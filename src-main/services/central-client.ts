// How the desktop talks to the central service: the URL and office key from the settings, JSON
// bodies, `{ ok, result | error }` answers turned into results or AppErrors. Used by sync and by the
// actions that need the connection (customers' web accounts).
import { AppError } from '../../src-shared/errors';
import type { createSettingsService } from './settings';

export type Fetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface CentralTarget {
  url: string;
  key: string;
}

export interface RequestInit {
  method?: string;
  body?: unknown;
  timeoutMs?: number;
  /** false for a request that must not reach the service twice (it sends a letter) */
  retry?: boolean;
  headers?: Record<string, string>;
}

export function createCentralClient(settings: ReturnType<typeof createSettingsService>, fetchImpl: Fetch = (url, init) => fetch(url, init as globalThis.RequestInit)) {
  /** The configured service, or null while the office has none (the desktop then works alone). */
  const target = (): CentralTarget | null => {
    const { url, officeKey } = settings.get().settings.central;
    return url.trim() && officeKey.trim() ? { url: url.trim().replace(/\/+$/, ''), key: officeKey.trim() } : null;
  };

  async function send(to: CentralTarget, path: string, init: RequestInit = {}) {
    // Callers send only requests that are safe to repeat (a push is answered from the record), so a
    // connection dropped on a reused socket is tried once more at once before the service counts as unreachable.
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetchImpl(`${to.url}${path}`, {
          method: init.method ?? 'GET',
          headers: { Authorization: `Bearer ${to.key}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
          body: init.body ? JSON.stringify(init.body) : undefined,
          signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
        });
      } catch (error) {
        if (attempt < 2 && init.retry !== false) continue;
        throw new AppError('UNAVAILABLE', `The central service does not answer: ${(error as Error).message}`);
      }
    }
  }

  function failure(status: number, body: { error?: { code: string; message: string; details?: unknown } } | null): AppError {
    return AppError.from(body?.error ?? { code: status >= 500 ? 'UNAVAILABLE' : 'BAD_REQUEST', message: `HTTP ${status}` });
  }

  async function request(to: CentralTarget, path: string, init: RequestInit = {}): Promise<unknown> {
    const response = await send(to, path, init);
    const body = (await response.json().catch(() => null)) as { ok?: boolean; result?: unknown; error?: { code: string; message: string } } | null;
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
