import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
// dynalite ships no types; its default export builds an http.Server
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface EmulatorOptions {
  /** 0 picks a free port. */
  sqsPort: number;
  dynamodbPort: number;
  /** Folder for DynamoDB data (kept across restarts); `null` keeps it in memory. */
  dataDir: string | null;
  host?: string;
}

export interface Emulators {
  sqsEndpoint: string;
  dynamodbEndpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the local AWS stand-ins in this process: fauxqs (SQS, JSON protocol, in memory) and
 * dynalite (DynamoDB on LevelDB). Both are npm packages: no Docker, no Java.
 */
export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  // fauxqs is published as an ES module only
  const { startFauxqs } = await import('fauxqs');
  const sqs = await startFauxqs({ port: options.sqsPort, host, logger: false });

  let dynamo: DynamoDbEmulator;
  try {
    dynamo = await startDynamoDb({ port: options.dynamodbPort, dataDir: options.dataDir, host });
  } catch (err) {
    await sqs.stop();
    throw err;
  }

  return {
    sqsEndpoint: `http://${host}:${sqs.port}`,
    dynamodbEndpoint: dynamo.endpoint,
    async stop() {
      await Promise.all([sqs.stop(), dynamo.stop()]);
    },
  };
}

export interface DynamoDbEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts dynalite alone (LevelDB under `dataDir`, kept across restarts; `null` = in memory). */
export async function startDynamoDb(options: { port: number; dataDir: string | null; host?: string }): Promise<DynamoDbEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const dynamo = dynalite({ path: options.dataDir ?? undefined, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.port, host, () => resolve());
  });
  return {
    endpoint: `http://${host}:${(dynamo.address() as AddressInfo).port}`,
    async stop() {
      dynamo.closeAllConnections?.();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
