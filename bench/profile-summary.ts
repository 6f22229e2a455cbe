/**
 * Sums up the V8 CPU profiles of a benchmark run (`BENCH_CPU_PROF_DIR=<dir> npm run bench -- processor`):
 * for each profile, where the samples fell, by package (or file of ours) and by function, as a
 * share of the process's busy time. `tsx bench/profile-summary.ts <dir> [top]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

function whereFrom(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  if (!url) return '(native)';
  return url.replace(/^file:\/\//, '').replace(resolve(__dirname, '..') + '/', '');
}

function summarise(file: string, top: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let gc = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(garbage collector)') gc += us;
    if (IDLE.has(functionName)) continue;
    busy += us;
    const place = whereFrom(url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${place}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const share = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${share(us)}  ${k}`)
      .join('\n');
  return [
    `${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy in JS, ${(gc / 1e6).toFixed(1)} s GC`,
    ' by package / file (self time, share of busy):',
    list(byPlace),
    ' by function:',
    list(byFunction),
  ].join('\n');
}

const [dir, top = '12'] = process.argv.slice(2);
if (!dir) throw new Error('usage: tsx bench/profile-summary.ts <dir> [top]');
for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  console.log(summarise(resolve(dir, name), Number(top)));
  console.log('');
}
