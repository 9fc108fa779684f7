// Migration 9: desks enrolled by a one-time code. An administrator makes a code for an office
// (`npm run server -- office enroll KEY`): valid 24 hours, used once; the service keeps only its
// SHA-256. The desk that uses it gets its own credentials (a client), named and revocable on its own,
// so no office key needs to be typed on a desk. Frozen once shipped.
export default [
  `CREATE TABLE enrolment_codes (
    id BIGSERIAL PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices (id),
    code_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    client_id TEXT)`,
  'ALTER TABLE clients ADD COLUMN enrolment_id BIGINT',
  'ALTER TABLE clients ADD COLUMN label TEXT',
];
