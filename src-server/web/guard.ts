// Sign-in throttling for the customer pages that never asks the database, so it treats a login that
// exists exactly like one that does not (no oracle), and that a stranger cannot turn against a
// customer without being slowed down first. Three counters of wrong passwords, in memory, over a
// sliding window (15 minutes by default):
// - per IP and login: the 6th wrong password from one IP for one login closes that login to that IP
//   (every answer there is «слишком много попыток», right password or not) until the window frees;
//   other IPs are not concerned, and a successful reset of the password by its link reopens it;
// - per login, from everywhere: from the 5th wrong password on, every attempt on that login, from any
//   IP, waits before it is checked (1 s, doubling with each further failure, at most 8 s), and such
//   attempts are checked one after another, so a login under attack gets at most one check every few
//   seconds however many addresses try it; when the queue would keep an attempt waiting longer than
//   30 s, it is answered «слишком много попыток с этим логином» at once. The customer, from another
//   IP (or from their own after a reset), still gets in with the right password after the wait;
// - per IP, all logins: the form posts limit of pages.ts (not here).
// A successful sign-in clears that IP's and that login's counters. The counters live in this process
// only: the service runs as one process (PGlite even requires it); a restart forgets them.

export interface SignInPolicy {
  /** wrong passwords from one IP for one login within the window before that IP is refused for it */
  perIpAndLogin: number;
  /** wrong passwords for one login, from anywhere, within the window before its attempts are slowed */
  slowAfter: number;
  /** the first slow-down; each further failure doubles it */
  firstDelayMs: number;
  maxDelayMs: number;
  /** an attempt that would wait longer than this in the login's queue is refused at once */
  maxWaitMs: number;
  windowSeconds: number;
}

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = {
  perIpAndLogin: 5,
  slowAfter: 5,
  firstDelayMs: 1000,
  maxDelayMs: 8000,
  maxWaitMs: 30_000,
  windowSeconds: 15 * 60,
};

/** How many keys a counter keeps at most; beyond, the oldest go first (each IP's posts are limited anyway). */
const MAX_KEYS = 100_000;
/** Timestamps kept per key: enough for any delay the policy can give. */
const MAX_STAMPS = 64;

/** Event times per key over a sliding window, by the given clock. */
export class SlidingCounter {
  private readonly stamps = new Map<string, number[]>();
  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  count(key: string): number {
    const list = this.stamps.get(key);
    if (!list) return 0;
    const from = this.now() - this.windowMs;
    while (list.length && list[0]! <= from) list.shift();
    if (!list.length) this.stamps.delete(key);
    return list.length;
  }

  add(key: string): number {
    const n = this.count(key);
    const list = this.stamps.get(key) ?? [];
    list.push(this.now());
    if (list.length > MAX_STAMPS) list.shift();
    this.stamps.delete(key); // re-inserted last: the Map's order is the eviction order
    this.stamps.set(key, list);
    while (this.stamps.size > MAX_KEYS) this.stamps.delete(this.stamps.keys().next().value!);
    return n + 1;
  }

  clear(key: string) {
    this.stamps.delete(key);
  }
}

/** What the guard says before a password is checked. */
export type SignInVerdict = { kind: 'locked' } | { kind: 'busy' } | { kind: 'go'; waitMs: number };

/** The same login however it is typed (logins are compared case-insensitively, trimmed). */
export const loginKey = (login: string) => login.trim().toLowerCase();

export function createSignInGuard(
  policy: SignInPolicy,
  now: () => Date,
  monotonic: () => number = () => performance.now(),
) {
  const clock = () => now().getTime();
  const windowMs = policy.windowSeconds * 1000;
  const pairs = new SlidingCounter(windowMs, clock);
  const logins = new SlidingCounter(windowMs, clock);
  /** per login under attack: when its last admitted attempt is checked (real time, it paces real work) */
  const nextCheck = new Map<string, number>();

  /** bumped by a reset: the login's earlier per-IP counts are no longer looked at */
  const epochs = new Map<string, number>();
  const pairKey = (ip: string, login: string) => `${ip}\u0000${login}\u0000${epochs.get(login) ?? 0}`;
  const delayFor = (failures: number) =>
    failures < policy.slowAfter
      ? 0
      : Math.min(policy.firstDelayMs * 2 ** Math.min(failures - policy.slowAfter, 30), policy.maxDelayMs);

  return {
    /** Before the password is looked at: refused, or admitted after `waitMs`. */
    admit(ip: string, typedLogin: string): SignInVerdict {
      const login = loginKey(typedLogin);
      if (pairs.count(pairKey(ip, login)) >= policy.perIpAndLogin) return { kind: 'locked' };
      const delay = delayFor(logins.count(login));
      if (delay === 0) return { kind: 'go', waitMs: 0 };
      const at = monotonic();
      const checkAt = Math.max(at, nextCheck.get(login) ?? 0) + delay;
      if (checkAt - at > policy.maxWaitMs) return { kind: 'busy' };
      nextCheck.set(login, checkAt);
      if (nextCheck.size > MAX_KEYS) nextCheck.delete(nextCheck.keys().next().value!);
      return { kind: 'go', waitMs: checkAt - at };
    },

    failed(ip: string, typedLogin: string) {
      const login = loginKey(typedLogin);
      pairs.add(pairKey(ip, login));
      logins.add(login);
    },

    succeeded(ip: string, typedLogin: string) {
      const login = loginKey(typedLogin);
      pairs.clear(pairKey(ip, login));
      logins.clear(login);
      nextCheck.delete(login);
    },

    /** The password was reset by its link (mailbox and IIN/BIN proven): the login starts afresh from every IP. */
    reset(typedLogin: string) {
      const login = loginKey(typedLogin);
      logins.clear(login);
      nextCheck.delete(login);
      epochs.set(login, (epochs.get(login) ?? 0) + 1);
      if (epochs.size > MAX_KEYS) epochs.delete(epochs.keys().next().value!);
    },
  };
}
