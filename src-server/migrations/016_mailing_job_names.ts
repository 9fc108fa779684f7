// Migration 16: what a mailing job's screen says in words (#19.5, QA).
// - mailing_jobs.started_by_name: the full name of the operator who started the job, as it was then
//   (the screen said the login, «Запустил senior»); jobs kept before take their operator's name now.
// - mailing_jobs.cancelled: the letters a cancelled job did not take (it read as complete: 100 %,
//   nothing left); a new job of the month sends them. Frozen once shipped.
export default [
  'ALTER TABLE mailing_jobs ADD COLUMN started_by_name TEXT',
  'ALTER TABLE mailing_jobs ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0',
  `UPDATE mailing_jobs j SET started_by_name = (SELECT o.full_name FROM operators o WHERE lower(o.login) = lower(j.started_by) ORDER BY o.id LIMIT 1)`,
];
