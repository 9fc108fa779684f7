// A typed in-process event bus; transports forward its events to the renderer (IPC or SSE).
// An event may be addressed to one client (a window, a browser: its session's events); the
// transports pass such an event to that client only, and the rest to every one.
import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../src-shared/contract';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>, to: string | null) => void;

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>, to: string | null = null): void {
    this.emitter.emit('event', name, payload, to);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

/** Whether an event addressed `to` (or to everyone) is for `client`. */
export const isFor = (to: string | null, client: string): boolean => to === null || to === client;
