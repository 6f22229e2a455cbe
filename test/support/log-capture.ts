import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { TEST_SECRETS } from './secrets';

/** Everything the test run logged: the jest workers' stdout/stderr and the output of every app process. */
export const CAPTURED_LOGS_DIR = resolve(__dirname, '../../test-artifacts/logs');

/** Appends `text` to the capture file `name` (one per process or app). */
export function captureLog(name: string, text: string): void {
  // only a jest run is audited; the benchmarks start apps with the same helper
  if (!process.env.JEST_WORKER_ID) return;
  if (!existsSync(CAPTURED_LOGS_DIR)) mkdirSync(CAPTURED_LOGS_DIR, { recursive: true });
  appendFileSync(resolve(CAPTURED_LOGS_DIR, name), text);
}

/**
 * jest `setupFiles` entry: tees this worker's stdout and stderr into the capture, so log lines of
 * the apps that tests run in-process are searched too. Installed once per worker.
 */
export function captureThisProcess(): void {
  const tag = Symbol.for('quoteflow.log-capture');
  const global = globalThis as Record<symbol, boolean>;
  if (global[tag]) return;
  global[tag] = true;
  for (const [stream, name] of [
    [process.stdout, 'stdout'],
    [process.stderr, 'stderr'],
  ] as const) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captureLog(`worker-${process.pid}.${name}.log`, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return write(chunk, ...rest);
    });
  }
}

export function clearCapturedLogs(): void {
  rmSync(CAPTURED_LOGS_DIR, { recursive: true, force: true });
}

/** Lines of the capture that contain a test secret, as `file:line: text`; and how many lines were searched. */
export function findSecretsInCapturedLogs(): { leaks: string[]; lines: number; files: number } {
  if (!existsSync(CAPTURED_LOGS_DIR)) return { leaks: [], lines: 0, files: 0 };
  const files = readdirSync(CAPTURED_LOGS_DIR);
  const leaks: string[] = [];
  let lines = 0;
  for (const file of files) {
    readFileSync(resolve(CAPTURED_LOGS_DIR, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        lines++;
        if (TEST_SECRETS.some((secret) => line.includes(secret))) leaks.push(`${file}:${i + 1}: ${line.slice(0, 300)}`);
      });
  }
  return { leaks, lines, files: files.length };
}
