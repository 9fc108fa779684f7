// The renderer's one way to the services: Electron IPC through `window.api` when it exists, the web
// shell's HTTP API (bearer token from the URL) otherwise. Both return `{ ok, result | error }`; this
// client turns an error into a thrown ApiError whose `code` the UI translates.
import type {
  EventName,
  EventPayload,
  OperationInput,
  OperationName,
  OperationOutput,
} from '../../src-shared/contract';
import type { ErrorCode, ErrorShape, FieldIssue } from '../../src-shared/errors';

type Outcome = { ok: true; result: unknown } | { ok: false; error: ErrorShape };

export interface BridgeApi {
  call(name: string, input: unknown): Promise<unknown>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    api?: BridgeApi;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** For VALIDATION: the failing fields, by dotted path. */
  get fields(): FieldIssue[] {
    const fields = (this.details as { fields?: FieldIssue[] } | undefined)?.fields;
    return Array.isArray(fields) ? fields : [];
  }
}

const TOKEN_KEY = 'aquadesk.token';

/** The web shell's token: from `?token=` on first load (then removed from the address bar), else this tab's session. */
export function webToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export type Transport = 'ipc' | 'http' | 'none';

export function transport(): Transport {
  if (window.api) return 'ipc';
  return webToken() ? 'http' : 'none';
}

async function httpCall(name: string, input: unknown): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${webToken() ?? ''}` },
      body: JSON.stringify(input ?? {}),
    });
  } catch (error) {
    return { ok: false, error: { code: 'UNAVAILABLE', message: `The web shell did not answer: ${String(error)}` } };
  }
  try {
    return (await response.json()) as Outcome;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: `Unexpected response ${response.status}` } };
  }
}

const sessionLostListeners = new Set<() => void>();
/** Called when a call finds the operator signed out or the screen locked (the session store reloads). */
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

const calledListeners = new Set<(name: OperationName) => void>();
/** Called after every operation that succeeded (the contact bar reads what the desk collected). */
export function onCalled(listener: (name: OperationName) => void): () => void {
  calledListeners.add(listener);
  return () => calledListeners.delete(listener);
}

export async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const outcome = (window.api ? await window.api.call(name, input) : await httpCall(name, input)) as Outcome;
  if (outcome.ok) {
    calledListeners.forEach((l) => l(name));
    return outcome.result as OperationOutput<N>;
  }
  const reason = (outcome.error.details as { reason?: unknown } | undefined)?.reason;
  if (reason === 'session.signInRequired' || reason === 'session.locked') sessionLostListeners.forEach((l) => l());
  throw new ApiError(outcome.error.code, outcome.error.message, outcome.error.details);
}

type Listener = (name: string, payload: unknown) => void;
const listeners = new Set<Listener>();
let started = false;
/** Ends the web shell's current event stream (the loop opens the next one at once). */
let abortStream: (() => void) | null = null;

/**
 * After a sign-in or sign-out in the web shell: the event stream is opened again so that it carries
 * the browser's new session cookie (the session's own events are addressed to it).
 */
export function reopenEvents(): void {
  abortStream?.();
}

function startEvents(): void {
  if (started) return;
  started = true;
  if (window.api) {
    window.api.onEvent((name, payload) => listeners.forEach((l) => l(name, payload)));
    return;
  }
  void streamEvents();
}

/** SSE over fetch (EventSource cannot send the Authorization header); reconnects after a pause. */
async function streamEvents(): Promise<void> {
  for (;;) {
    const controller = new AbortController();
    let reopened = false;
    abortStream = () => {
      reopened = true;
      controller.abort();
    };
    try {
      const response = await fetch('/api/events', {
        headers: { Authorization: `Bearer ${webToken() ?? ''}` },
        signal: controller.signal,
      });
      if (response.status === 401) return;
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) listeners.forEach((l) => l(event, JSON.parse(data)));
        }
      }
    } catch {
      // the shell stopped or restarted (or the stream was reopened): try again
    }
    if (!reopened) await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
}

export function onEvent<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
  startEvents();
  const listener: Listener = (n, payload) => {
    if (n === name) handler(payload as EventPayload<E>);
  };
  listeners.add(listener);
  return () => listeners.delete(listener);
}
