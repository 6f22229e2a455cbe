/**
 * `npm start`: the whole local stack in the foreground. Emulators run in this process; ingestor
 * and processor are two child processes (the built apps) with prefixed logs. Ctrl-C stops all.
 */
import { ConfigError, parseConfig } from '@app/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { checkIngestorConfig } from '../../apps/ingestor/src/ingestor.config';
import { emulatorEnv, onShutdownSignal, startLocalAws } from './local-env';

const APPS = {
  processor: { script: 'dist/apps/processor/src/main.js', colour: 35 },
  ingestor: { script: 'dist/apps/ingestor/src/main.js', colour: 36 },
} as const;
type AppName = keyof typeof APPS;

const children = new Map<AppName, ChildProcess>();
let shuttingDown = false;

function say(line: string): void {
  process.stdout.write(`\x1b[1m[stack]\x1b[0m ${line}\n`);
}

function startApp(name: AppName, env: NodeJS.ProcessEnv): void {
  const { script, colour } = APPS[name];
  const child = spawn(process.execPath, ['--no-warnings', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${colour}m[${name}]\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!shuttingDown) {
      say(`${name} exited (${signal ?? code}); stopping the stack`);
      process.kill(process.pid, 'SIGTERM');
    }
  });
  children.set(name, child);
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function waitForHealth(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main(): Promise<void> {
  checkIngestorConfig(parseConfig(process.env)); // a bad variable stops here, before anything starts
  const { emulators, config } = await startLocalAws(process.env);
  say(`SQS emulator ${emulators.sqsEndpoint}, DynamoDB emulator ${emulators.dynamodbEndpoint} (queue, DLQ and table ready)`);
  onShutdownSignal(async (signal) => {
    shuttingDown = true;
    say(`${signal}: stopping ingestor and processor ...`);
    await stopChildren();
    await emulators.stop();
    say('stopped');
    return 0;
  });

  const env = emulatorEnv(process.env, emulators);
  startApp('processor', env);
  startApp('ingestor', env);

  const api = `http://localhost:${config.http.port}`;
  if (await waitForHealth(`${api}/health`, 60_000)) {
    const demo = config.ingest.providers.includes('demo');
    say('');
    say(`quoteflow is running. API: ${api}   (providers: ${config.ingest.providers.join(', ')}${demo ? ' — DEMO DATA, synthetic prices' : ''})`);
    say(`  curl ${api}/quotes${demo ? `/ACME` : ''}`);
    say(`  curl ${api}/quotes`);
    say(`  curl -X POST ${api}/ingest/trigger`);
    say(`  curl ${api}/status`);
    say('Ctrl-C stops everything.');
  }
}

main().catch(async (err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  shuttingDown = true;
  await stopChildren();
  process.exit(1);
});
