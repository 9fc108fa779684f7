// This desk's secrets (the office key, the SMTP password, the desk's own credentials), kept apart from
// the settings and never sent to a window. Each stored value says how it is protected: `safe:` is
// encrypted by the operating system (Electron's safeStorage: DPAPI on Windows), `plain:` is not (the
// web shell, or a system without a keyring; the settings screen says so). A value this process cannot
// decrypt (a data folder moved to another user or PC) reads as not set: the administrator enters it again.
import type { Db } from '../db';

export type SecretName = 'smtp.password' | 'central.officeKey' | 'desk.token';

/** How values are protected at rest. */
export interface SecretBox {
  readonly protected: boolean;
  /** The stored form of a value. */
  seal(value: string): string;
  /** The value of a stored form, or null when this box cannot open it. */
  open(stored: string): string | null;
}

export const plainBox: SecretBox = {
  protected: false,
  seal: (value) => `plain:${value}`,
  open: (stored) => (stored.startsWith('plain:') ? stored.slice(6) : null),
};

/** A box over an encrypt/decrypt pair (safeStorage's); plain values stored before are still read. */
export function encryptingBox(encrypt: (value: string) => Buffer, decrypt: (data: Buffer) => string): SecretBox {
  return {
    protected: true,
    seal: (value) => `safe:${encrypt(value).toString('base64')}`,
    open(stored) {
      if (stored.startsWith('plain:')) return stored.slice(6);
      if (!stored.startsWith('safe:')) return null;
      try {
        return decrypt(Buffer.from(stored.slice(5), 'base64'));
      } catch {
        return null;
      }
    },
  };
}

export interface Secrets {
  readonly protected: boolean;
  get(name: SecretName): string | null;
  /** Stores a value (null or empty: forgets it). */
  set(name: SecretName, value: string | null): void;
}

const stores = new WeakMap<Db, Secrets>();

/** The secrets of a store, sealed with `box` (set once when the core opens; plain until then). */
export function secretsOf(db: Db, box?: SecretBox): Secrets {
  const known = stores.get(db);
  if (known && !box) return known;
  const secrets = createSecrets(db, box ?? plainBox);
  stores.set(db, secrets);
  return secrets;
}

function createSecrets(db: Db, box: SecretBox): Secrets {
  const read = db.prepare<[string], string>('SELECT value FROM secrets WHERE name = ?').pluck();
  const write = db.prepare<[string, string]>(
    'INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM secrets WHERE name = ?');
  // Values stored in the clear before the box could encrypt them are sealed now.
  if (box.protected) {
    const plain = db
      .prepare<[], { name: string; value: string }>("SELECT name, value FROM secrets WHERE value LIKE 'plain:%'")
      .all();
    db.transaction(() => {
      for (const row of plain) write.run(row.name, box.seal(row.value.slice(6)));
    })();
  }
  return {
    protected: box.protected,
    get(name) {
      const stored = read.get(name);
      return stored === undefined ? null : box.open(stored);
    },
    set(name, value) {
      if (value) write.run(name, box.seal(value));
      else remove.run(name);
    },
  };
}
