// Sync between this desk and the central service: the engine (sync/engine.ts: hello, push, pull), its
// recoveries (sync/recovery.ts), the audit trail's upload (sync/audit-upload.ts), the background loop
// (sync/loop.ts), the desk's identity (sync/identity.ts), pages applied off the main thread
// (sync/applier.ts, sync/pages.ts, sync-worker.ts) and the supervisor's view of what the service
// refused (sync/rejected.ts).
export { createSyncEngine, problemOf, PULL_PAGE, type SyncEngine } from './sync/engine';
export { startSyncLoop } from './sync/loop';
export { checkPage, createPageApplier } from './sync/applier';
export { identityOf, type Identity } from './sync/identity';
export type { Fetch } from './central-client';
