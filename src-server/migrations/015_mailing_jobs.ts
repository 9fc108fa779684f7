// Migration 15: the desk-started mailing jobs survive the service (src-server/mailing-job-store.ts).
// - mailing_jobs: one row per job (the office's latest by `created_at`, the real time it was made): its
//   state, counts, running time and report (JSON), the process that runs it (`owner`, made per process)
//   and its heartbeat: a job whose heartbeat stopped is shown as interrupted, with a resume action,
//   whatever process looks.
// - mailings.job_id: the job whose run claimed a letter, so the job's resume settles exactly the claims
//   its dead run left (sent again with their Message-IDs, as possible duplicates) without waiting for
//   the lease. Frozen once shipped.
export default [
  `CREATE TABLE mailing_jobs (id TEXT NOT NULL, office_id BIGINT NOT NULL, period TEXT NOT NULL, district_ids TEXT, state TEXT NOT NULL,
     started_by TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, total BIGINT NOT NULL DEFAULT 0, sent BIGINT NOT NULL DEFAULT 0,
     failed BIGINT NOT NULL DEFAULT 0, left_count BIGINT NOT NULL DEFAULT 0, already_sent BIGINT NOT NULL DEFAULT 0,
     run_ms BIGINT NOT NULL DEFAULT 0, error TEXT, report TEXT, owner TEXT, heartbeat_at TIMESTAMPTZ,
     created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (id))`,
  'CREATE INDEX mailing_jobs_office ON mailing_jobs (office_id, created_at)',
  'ALTER TABLE mailings ADD COLUMN job_id TEXT',
  'CREATE INDEX mailings_job ON mailings (job_id) WHERE job_id IS NOT NULL',
];
