// `npm run bench -- web [--accounts N]`: the whole start of `npm run web` on a fresh data folder with
// the build present (the shell is started as scripts/web.mjs starts it, without the build step),
// 20 000 demo accounts by default: seconds until each progress step and until the URL line (issue 17
// sets ≤ 30 s), and whether the first sign-in right after it is an online one. Other load on the
// machine counts in those wall-clock seconds; the CPU seconds the two processes used by the URL line
// do not depend on it (a 2-core machine can at best run them two at a time).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_OPERATOR_PASSWORD } from '../src-shared/schemas/operators';
import type { BenchResult } from './report';

const option = (args: string[], name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};

/** Progress lines of the web shell worth a figure each (the first line matching). */
const STEPS: [string, RegExp][] = [
  ['demoData', /^demo data: \d+ accounts, /],
  ['seedStarted', /^central service: seeding from/],
  ['centralReady', /^central service: ready at /],
  ['online', /^first sync: online/],
];

/**
 * CPU seconds the shell and its child processes (the central service) have used so far, from /proc
 * (Linux; null elsewhere): what the start costs whatever else the machine runs.
 */
function cpuSeconds(pid: number): number | null {
  try {
    const own = (p: number) => {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
    };
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return own(pid) + children.reduce((sum, child) => sum + own(child), 0);
  } catch {
    return null;
  }
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const accounts = option(args, '--accounts', 20_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-web-'));
  const params = { accounts, targetSeconds: 30 };
  const started = performance.now();
  const seconds = () => Number(((performance.now() - started) / 1000).toFixed(1));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src-main/web-shell/cli.ts',
      '--data',
      dataDir,
      '--demo',
      String(accounts),
      '--central',
      'embedded',
    ],
    {
      cwd: resolve(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const results: BenchResult[] = [];
  try {
    const url = await new Promise<string>((done, fail) => {
      let err = '';
      let out = '';
      const seen = new Set<string>();
      child.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        for (const line of err.split('\n'))
          for (const [name, pattern] of STEPS)
            if (!seen.has(name) && pattern.test(line)) {
              seen.add(name);
              results.push({ name: `web.${name}`, metric: 'seconds', value: seconds(), params });
            }
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^AquaDesk web shell: (\S+)$/m.exec(out);
        if (match) done(match[1]!);
      });
      child.once('exit', (code) => fail(new Error(`the web shell stopped (${code}):\n${err}`)));
    });
    results.push({ name: 'web.url', metric: 'seconds', value: seconds(), params });
    const cpu = cpuSeconds(child.pid!);
    if (cpu !== null)
      results.push({
        name: 'web.url',
        metric: 'cpuSeconds',
        value: Number(cpu.toFixed(1)),
        params: { ...params, note: 'shell + service processes, all threads' },
      });
    const address = new URL(url);
    const response = await fetch(`${address.origin}/api/session.signIn`, {
      method: 'POST',
      headers: { authorization: `Bearer ${address.searchParams.get('token')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'kassa1', password: DEMO_OPERATOR_PASSWORD }),
    });
    const body = (await response.json()) as { result?: { mode?: string } };
    results.push({
      name: 'web.firstSignInOnline',
      metric: 'yes',
      value: body.result?.mode === 'online' ? 1 : 0,
      params,
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
