// The numbered migrations, in order. Append only: a shipped migration is never edited.
import m001 from './001_domain';
import m002 from './002_lookup_keys';

export const migrations: readonly string[] = [m001, m002];
