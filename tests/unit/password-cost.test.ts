// Passwords are hashed with scrypt N = 2^17, r = 8, p = 1 (OWASP) in every real installation; the
// test runners lower N with AQUADESK_PASSWORD_COST=test, and nothing else can lower it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_SCRYPT, scryptCostFor, TEST_SCRYPT_N } from '../../src-shared/node/secrets';

describe('the password-hash cost', () => {
  it('is production unless a test runner asks for the test cost, and a typo never weakens it', () => {
    expect(PRODUCTION_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1, keyLength: 32 });
    expect(scryptCostFor({})).toEqual(PRODUCTION_SCRYPT);
    expect(scryptCostFor({ AQUADESK_PASSWORD_COST: 'production' }).N).toBe(2 ** 17);
    expect(scryptCostFor({ AQUADESK_PASSWORD_COST: 'TEST' }).N).toBe(2 ** 17);
    expect(scryptCostFor({ AQUADESK_PASSWORD_COST: '1' }).N).toBe(2 ** 17);
    expect(scryptCostFor({ AQUADESK_PASSWORD_COST: 'test' }).N).toBe(TEST_SCRYPT_N);
  });

  it('a process started without the variable hashes at N = 2^17, r = 8, p = 1 and verifies it', () => {
    const script = `
      import { hashPassword, verifyPassword, needsRehash } from './src-shared/node/secrets.ts';
      const hash = await hashPassword('Vodokanal2026');
      console.log(JSON.stringify({ hash, ok: await verifyPassword('Vodokanal2026', hash), wrong: await verifyPassword('vodokanal2026', hash), rehash: needsRehash(hash), weak: needsRehash(hash.replace('$131072$', '$4096$')) }));`;
    const env = { ...process.env };
    delete env['AQUADESK_PASSWORD_COST'];
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env,
    });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { hash: string; ok: boolean; wrong: boolean; rehash: boolean; weak: boolean };
    expect(out.hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(out).toMatchObject({ ok: true, wrong: false, rehash: false, weak: true });
  });
});
