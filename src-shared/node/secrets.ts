// Secrets, by OWASP's cheat sheets, for the central service (customers' and operators' passwords,
// link and session tokens) and the desktop (operators' offline verifiers): passwords hashed with
// scrypt (N=2^17, r=8, p=1, 16-byte salt), tokens of 32 random bytes kept only as their SHA-256
// (a stolen table opens nothing), comparisons in constant time. Node only (node:crypto).
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Production parameters (OWASP): what every real password is hashed with. */
export const PRODUCTION_SCRYPT = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 } as const;
/** The tests' cost: the same algorithm and format, 32 times cheaper (a sign-in in milliseconds). */
export const TEST_SCRYPT_N = 2 ** 12;

/**
 * The cost in force: production unless the process was started with `AQUADESK_PASSWORD_COST=test`
 * (the test runners set it for the processes they start; nothing else reads it). Any other value is
 * production: a typo never weakens a real installation.
 */
export function scryptCostFor(env: Readonly<Record<string, string | undefined>>): {
  N: number;
  r: 8;
  p: 1;
  keyLength: 32;
} {
  return { ...PRODUCTION_SCRYPT, N: env['AQUADESK_PASSWORD_COST'] === 'test' ? TEST_SCRYPT_N : PRODUCTION_SCRYPT.N };
}

const SCRYPT = scryptCostFor(typeof process === 'undefined' ? {} : process.env);
const MAXMEM = 256 * 1024 * 1024; // 128 · N · r = 128 MiB needed

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * `scrypt$N$r$p$salt$hash` (base64url), so the parameters can be raised later without a migration.
 * `cost` lowers N only for values that are public anyway (the demo's well-known passwords); such a
 * hash is replaced by a full-cost one at the first successful sign-in (see `needsRehash`).
 */
export async function hashPassword(password: string, cost: { N: number } = SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, {
    N: cost.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: MAXMEM,
  });
  return ['scrypt', cost.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** The cheap cost used for the demo's published passwords. */
export const DEMO_COST = { N: 2 ** 12 } as const;

/** True for a hash made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const [kind, N, r, p] = stored.split('$');
  return kind !== 'scrypt' || Number(N) < SCRYPT.N || Number(r) !== SCRYPT.r || Number(p) !== SCRYPT.p;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // Without a stored hash the work is done anyway, so timing does not tell who has a password.
  const parts = (stored ?? `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(password, Buffer.from(parts[4]!, 'base64url'), expected.length, {
    N,
    r,
    p,
    maxmem: MAXMEM,
  });
  return stored !== null && timingSafeEqual(key, expected);
}

/** A fresh token for a link or a session: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Whether a string can be one of our tokens at all (checked before it reaches SQL). */
export function looksLikeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The anti-forgery value of a signed-in session's forms. */
export function csrfOf(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
