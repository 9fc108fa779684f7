// Sync between this desk and the central service: the engine (sync/engine.ts), the desk's identity
// (sync/identity.ts), pages applied off the main thread (sync/applier.ts, sync/pages.ts, sync-worker.ts)
// and the supervisor's view of what the service refused (sync/rejected.ts).
export { createSyncEngine, problemOf, PULL_PAGE, startSyncLoop, type SyncEngine } from './sync/engine';
export { checkPage, createPageApplier } from './sync/applier';
export { identityOf, type Identity } from './sync/identity';
export type { Fetch } from './central-client';
