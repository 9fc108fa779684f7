// `npm run bench -- signin [--samples N]`: an operator's online sign-in at a desk as the window calls it
// (session.signIn through the access gate → the central service checks the password → the session
// begins), at the production password cost (scrypt N = 2^17), against the floor of the same run: one
// scrypt of that cost alone, measured alternately with the sign-ins so load on the machine hits both
// alike. Issue 21 asks sign-in ≤ 1.5 × the floor (the desk's own verifier is made after the answer).
// Between sign-ins the bench waits a second, as a desk does between operators: what a sign-in leaves
// to do in the background is not charged to the next one.
import { performance } from 'node:perf_hooks';
import { openCore } from '../src-main/core';
import { hashPassword, scryptCostFor } from '../src-shared/node/secrets';
import { DEMO_OPERATOR_PASSWORD } from '../src-shared/schemas/operators';
import { startCentral } from '../tests/helpers/central';
import { makeTempDir } from '../tests/helpers/tmp';
import { latencyResults, type BenchResult } from './report';

const option = (args: string[], name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function run(args: string[]): Promise<BenchResult[]> {
  const samples = option(args, '--samples', 15);
  if (scryptCostFor(process.env).N !== 2 ** 17)
    throw new Error('the sign-in bench runs at the production password cost: unset AQUADESK_PASSWORD_COST');
  const central = await startCentral('pglite', { accounts: 50, months: 1 });
  const temp = makeTempDir();
  const core = openCore({ dataDir: temp.dir, shell: 'web' });
  try {
    await core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
    const sync = await core.services.dispatch('sync.now', {});
    if (!sync.ok) throw new Error(`the desk did not sync: ${JSON.stringify(sync.error)}`);
    const signIn = () =>
      core.services.gate('session.signIn', { login: 'kassa1', password: DEMO_OPERATOR_PASSWORD }, 'window:bench');
    // The first sign-in replaces the demo's cheap hash on the service; the figures are of the ones after.
    await signIn();
    await core.services.gate('session.signOut', {}, 'window:bench');
    await pause(2_000);
    const signIns: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < samples; i++) {
      let started = performance.now();
      await hashPassword(DEMO_OPERATOR_PASSWORD);
      floor.push(performance.now() - started);
      await pause(200);
      started = performance.now();
      const outcome = await signIn();
      signIns.push(performance.now() - started);
      if (!outcome.ok || (outcome.result as { mode: string }).mode !== 'online')
        throw new Error(`sign-in ${i} was not online: ${JSON.stringify(outcome)}`);
      await core.services.gate('session.signOut', {}, 'window:bench');
      await pause(1_000);
    }
    const params = { samples, scryptN: 2 ** 17 };
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    return [
      ...latencyResults('signin.online', signIns, params),
      ...latencyResults('floor.scrypt', floor, params),
      {
        name: 'signin.online',
        metric: 'medianOverFloor',
        value: Number((median(signIns) / median(floor)).toFixed(2)),
        params: { ...params, goal: 1.5 },
      },
    ];
  } finally {
    core.close();
    temp.cleanup();
    await central.close();
  }
}
