import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { buildAppsForTests } from './build-apps';
import globalTeardown from './emulators.global-teardown';
import { clearCapturedLogs } from './log-capture';

/**
 * Starts the emulators once for all e2e suites, exactly as `npm run emulators` does, on free ports
 * and in memory. Each suite provisions its own queue, DLQ and table (see `test-stack.ts`).
 * Meanwhile it builds the apps for the suites that run them as processes (see `build-apps.ts`).
 */
export default async function globalSetup(): Promise<void> {
  clearCapturedLogs();
  const results = await Promise.allSettled([buildAppsForTests(), startEmulators()]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await globalTeardown();
    throw failed.reason;
  }
}

async function startEmulators(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/local/emulators-cli.ts'], {
    cwd: root,
    env: { ...process.env, EMULATOR_SQS_PORT: '0', EMULATOR_DYNAMODB_PORT: '0', EMULATOR_PERSIST: 'false', EMULATOR_PROVISION: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  (globalThis as { __emulators?: ChildProcess }).__emulators = child;
  const ready = await new Promise<{ sqsEndpoint: string; dynamodbEndpoint: string }>((resolveReady, reject) => {
    // a deadline only: on a loaded machine (several test runs sharing two cores) start-up takes a while
    const timer = setTimeout(() => reject(new Error('emulators did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`emulators exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('QUOTEFLOW_EMULATORS ')) return;
      clearTimeout(timer);
      resolveReady(JSON.parse(line.slice('QUOTEFLOW_EMULATORS '.length)));
    });
  });
  process.env.QUOTEFLOW_TEST_SQS_ENDPOINT = ready.sqsEndpoint;
  process.env.QUOTEFLOW_TEST_DYNAMODB_ENDPOINT = ready.dynamodbEndpoint;
}
