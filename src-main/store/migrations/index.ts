// The numbered migrations, in order. Append only: a shipped migration is never edited.
import m001 from './001_domain';
import m002 from './002_lookup_keys';
import m003 from './003_sync';
import m004 from './004_operators';
import m005 from './005_sync_identity';
import m006 from './006_lookup_forms';
import m007 from './007_least_privilege';
import m008 from './008_mail_policy';
import m009 from './009_utility';
import m010 from './010_account_notes';
import m011 from './011_contacts';
import m012 from './012_owner_vat';
import m013 from './013_contact_topics';
import m014 from './014_debt_mail_claims';

export const migrations: readonly string[] = [
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
];
