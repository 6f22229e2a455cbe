import { parseConfig, type QuoteflowConfig } from '@app/common';
import { resolve } from 'node:path';
import { provision } from './provision';
import { startEmulators, type Emulators } from './emulators';

/** Ports the contract fixes for the local stand-ins (0 = any free port, as tests use). */
export function emulatorPorts(env: NodeJS.ProcessEnv) {
  return { sqsPort: Number(env.EMULATOR_SQS_PORT ?? 4566), dynamodbPort: Number(env.EMULATOR_DYNAMODB_PORT ?? 8000) };
}

/** The environment the apps get to reach the emulators; everything else passes through unchanged. */
export function emulatorEnv(env: NodeJS.ProcessEnv, emulators: Pick<Emulators, 'sqsEndpoint' | 'dynamodbEndpoint'>) {
  return { ...env, AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint, AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint };
}

/** Starts the emulators and provisions queue, DLQ and table as the configuration names them. */
export async function startLocalAws(env: NodeJS.ProcessEnv): Promise<{ emulators: Emulators; config: QuoteflowConfig }> {
  const persist = env.EMULATOR_PERSIST !== 'false';
  const emulators = await startEmulators({ ...emulatorPorts(env), dataDir: persist ? resolve('.data/dynamodb') : null });
  try {
    const config = parseConfig(emulatorEnv(env, emulators));
    if (env.EMULATOR_PROVISION !== 'false') await provision(config);
    return { emulators, config };
  } catch (err) {
    await emulators.stop();
    throw err;
  }
}

/** Calls `stop` once on the first SIGINT/SIGTERM, then exits with its result. */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<number>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal).then(
        (code) => process.exit(code),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}
