// What every service call gets: the store, the event bus, the clock and who is calling.
import type { Db } from '../store/db';
import type { Role } from '../../src-shared/schemas/operators';
import type { EventBus } from './events';

export interface ServiceContext {
  db: Db;
  dataDir: string;
  databaseFile: string;
  logDir: string;
  shell: 'electron' | 'web';
  version: string;
  events: EventBus;
  /** Injected so tests can pin "today" (periods, verification due dates). */
  now: () => Date;
}

export interface CallContext {
  /** The operator on whose behalf the call is made (null for a call no operator made: tests, background work). */
  operatorId: number | null;
  role?: Role | null;
  /** The window or browser the call came from (its session); absent for calls no client made. */
  client?: string;
}
