import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, parseConfig } from '@app/common';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { eventually } from './test-stack';

/** `DynamoDBLocal.jar` as the npm package amplify-dynamodb-simulator ships it (with its native sqlite4java libraries). */
const EMULATOR_DIR = resolve(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');

/** Whether a `java` can be started here; the official DynamoDB Local needs one. */
export function javaAvailable(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the official DynamoDB Local in memory on a free port and resolves once it answers. */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child = spawn('java', ['-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', '-inMemory', '-disableTelemetry', '-port', String(port)], {
    cwd: EMULATOR_DIR,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const local = { endpoint, stop: () => stop(child) };
  const dynamo = createDocumentClient(parseConfig({ AWS_ENDPOINT_URL_DYNAMODB: endpoint }).aws);
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}: ${stderr}`);
      await dynamo.send(new ListTablesCommand({}));
      return true;
    }, 60_000, 'DynamoDB Local answering');
    return local;
  } catch (err) {
    await local.stop();
    throw err;
  } finally {
    dynamo.destroy();
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.kill('SIGTERM');
  });
}

// DynamoDB Local takes its port as an argument: ask the OS for a free one first
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}
