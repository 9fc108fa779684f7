// The central service's migrations, in order. Each is a list of statements (a function body may
// contain semicolons), frozen once shipped: databases made by every one of them exist, and
// tests/integration/server-migrations.test.ts upgrades a database made by each to today's schema.
import m001 from './001_replicated_tables';
import m002 from './002_tombstones';
import m003 from './003_web_accounts';
import m004 from './004_operator_auth';
import m005 from './005_operator_active';
import m006 from './006_offices_and_scopes';
import m007 from './007_readings_history';
import m008 from './008_held_readings';
import m009 from './009_desk_enrolment';
import m010 from './010_mail_policy';
import m011 from './011_utility';
import m012 from './012_account_notes';
import m013 from './013_contacts';
import m014 from './014_owner_vat';
import m015 from './015_mailing_jobs';
import m016 from './016_mailing_job_names';

export const SERVER_MIGRATIONS: readonly (readonly string[])[] = [
  m001,
  m002,
  m003,
  m004,
  m005,
  m006,
  m007,
  m008,
  m009,
  m010,
  m011,
  m012,
  m013,
  m014,
  m015,
  m016,
];
