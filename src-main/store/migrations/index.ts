// The numbered migrations, in order. Append only: a shipped migration is never edited.
import m001 from './001_domain';

export const migrations: readonly string[] = [m001];
