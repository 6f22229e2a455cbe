/**
 * `npm run emulators`: only the local AWS stand-ins (SQS on 4566, DynamoDB on 8000), provisioned,
 * in the foreground. Prints one machine-readable line `QUOTEFLOW_EMULATORS {json}` once ready.
 */
import { ConfigError } from '@app/common';
import { onShutdownSignal, startLocalAws } from './local-env';

async function main(): Promise<void> {
  const { emulators, config } = await startLocalAws(process.env);
  const ready = { sqsEndpoint: emulators.sqsEndpoint, dynamodbEndpoint: emulators.dynamodbEndpoint };
  console.log(`QUOTEFLOW_EMULATORS ${JSON.stringify(ready)}`);
  console.log(`SQS      ${emulators.sqsEndpoint}  (queue "${config.queue.name}", DLQ "${config.queue.dlqName}")`);
  console.log(`DynamoDB ${emulators.dynamodbEndpoint}  (table "${config.table.name}")`);
  console.log(`Point the apps at them with AWS_ENDPOINT_URL_SQS=${ready.sqsEndpoint} AWS_ENDPOINT_URL_DYNAMODB=${ready.dynamodbEndpoint}`);
  onShutdownSignal(async () => {
    await emulators.stop();
    return 0;
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
