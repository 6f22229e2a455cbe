import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_BUILD_DIR } from './build-apps';
import { captureLog } from './log-capture';
import { freePort } from '../../tools/local/free-port';

export { freePort };

const READY: Record<AppName, RegExp> = { processor: /consuming \S+ in batches/, ingestor: /HTTP API on / };

export type AppName = 'processor' | 'ingestor';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One app running as its own process from the e2e build (as `npm start` runs it), for tests that
 * kill it, signal it or run two of it. Collects its log lines.
 */
export class AppProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly listeners = new Set<(line: string) => void>();

  private constructor(
    readonly name: AppName,
    private readonly child: ChildProcess,
    /** Its HTTP port (`PORT` or `PROCESSOR_PORT`). */
    readonly port: number,
  ) {
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        captureLog(`app-${name}-${child.pid}.log`, `${line}\n`);
        this.lines.push(line);
        for (const listener of this.listeners) listener(line);
      });
    }
  }

  /**
   * Starts the app on a free port of 127.0.0.1 and resolves once it says it is ready. `buildDir`:
   * where the compiled apps are (the benchmarks run `npm run build`'s `dist/`); `nodeArgs`: more
   * options for node (e.g. `--cpu-prof`).
   */
  static async start(name: AppName, env: Record<string, string>, buildDir = TEST_BUILD_DIR, nodeArgs: string[] = []): Promise<AppProcess> {
    const app = await AppProcess.launch(name, env, buildDir, nodeArgs);
    await Promise.race([
      app.waitForLine(READY[name]),
      app.exited.then((exit) => {
        throw new Error(`${name} exited before it was ready (${JSON.stringify(exit)}):\n${app.lines.join('\n')}`);
      }),
    ]);
    return app;
  }

  /** Starts the app on a free port of 127.0.0.1 without waiting for anything (e.g. to see it refuse to start). */
  static async launch(name: AppName, env: Record<string, string>, buildDir = TEST_BUILD_DIR, nodeArgs: string[] = []): Promise<AppProcess> {
    const port = String(await freePort());
    // at least info: the readiness lines above are logged at that level
    const level = ['debug', 'trace'].includes(env.LOG_LEVEL) ? env.LOG_LEVEL : 'info';
    const child = spawn(process.execPath, ['--no-warnings', ...nodeArgs, resolve(buildDir, `apps/${name}/src/main.js`)], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...(name === 'processor' ? { PROCESSOR_PORT: port } : { PORT: port }), ...env, LOG_LEVEL: level },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(name, child, Number(port));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Resolves with the first log line (already seen or to come) that matches. */
  waitForLine(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolveLine) => {
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        this.listeners.delete(listener);
        resolveLine(line);
      };
      this.listeners.add(listener);
    });
  }

  /** Calls `listener` for every further log line. */
  onLine(listener: (line: string) => void): void {
    this.listeners.add(listener);
  }

  /** Sends the signal and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

