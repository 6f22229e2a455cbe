import { buildSync } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH_CACHE_DIR, profiling, root } from './bench-env';

const READY = 'BENCH_READY ';
const RESULT = 'BENCH_RESULT ';

/** What a worker script says on stdout: `BENCH_READY {json}` once set up, `BENCH_RESULT {json}` when done. */
export function report(kind: 'ready' | 'result', value: unknown): void {
  process.stdout.write(`${kind === 'ready' ? READY : RESULT}${JSON.stringify(value)}\n`);
}

/**
 * A baseline in a process of its own (`bench/workers/<name>.ts`), like the app it is compared
 * with: both are clients of the emulator process. It runs as plain JavaScript (compiled once per
 * `npm run bench` by esbuild, packages left in node_modules) so that its memory and start-up are
 * not inflated by a TypeScript loader the apps do not have either.
 */
export class Worker<Ready = unknown, Result = unknown> {
  readonly ready: Promise<Ready>;
  readonly result: Promise<Result>;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    const exited = new Promise<never>((_, fail) =>
      child.once('exit', (code) => setImmediate(() => fail(new Error(`bench worker exited (${code}) before it reported:\n${this.stderr}`)))),
    );
    const lines = createInterface({ input: child.stdout! });
    const line = <T>(prefix: string) =>
      Promise.race([
        new Promise<T>((done) => lines.on('line', (l) => l.startsWith(prefix) && done(JSON.parse(l.slice(prefix.length)) as T))),
        exited,
      ]);
    this.ready = line<Ready>(READY);
    this.result = line<Result>(RESULT);
    // a worker that is stopped before it reports is not an error of its own
    this.ready.catch(() => undefined);
    this.result.catch(() => undefined);
  }

  static start<Ready, Result>(name: string, env: Record<string, string>): Worker<Ready, Result> {
    const child = spawn(process.execPath, ['--disable-warning=NodeVersionSupportWarning', ...profiling(), compiled(name)], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Worker<Ready, Result>(child);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((stopped) => {
      this.child.once('exit', () => stopped());
      this.child.kill('SIGTERM');
    });
  }
}

const built = new Set<string>();

function compiled(name: string): string {
  const outfile = resolve(BENCH_CACHE_DIR, `${name}.js`);
  if (!built.has(name) || !existsSync(outfile)) {
    buildSync({
      entryPoints: [resolve(root, `bench/workers/${name}.ts`)],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      tsconfig: resolve(root, 'tsconfig.json'),
      logLevel: 'warning',
    });
    built.add(name);
  }
  return outfile;
}
