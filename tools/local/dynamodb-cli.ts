/**
 * Only the DynamoDB stand-in (dynalite), in the foreground, on `EMULATOR_DYNAMODB_PORT` (8000) with
 * its data under `EMULATOR_DATA_DIR` (`.data/dynamodb`; `EMULATOR_PERSIST=false` keeps it in memory).
 * Prints `QUOTEFLOW_DYNAMODB {json}` once listening. The fault tests run it as a process of its own,
 * to take DynamoDB away from a running processor and bring it back on the same port with its data.
 */
import { resolve } from 'node:path';
import { startDynamoDb } from './emulators';
import { emulatorPorts, onShutdownSignal } from './local-env';

async function main(): Promise<void> {
  const persist = process.env.EMULATOR_PERSIST !== 'false';
  const dynamo = await startDynamoDb({
    port: emulatorPorts(process.env).dynamodbPort,
    dataDir: persist ? resolve(process.env.EMULATOR_DATA_DIR ?? '.data/dynamodb') : null,
  });
  console.log(`QUOTEFLOW_DYNAMODB ${JSON.stringify({ dynamodbEndpoint: dynamo.endpoint })}`);
  onShutdownSignal(async () => {
    await dynamo.stop();
    return 0;
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
