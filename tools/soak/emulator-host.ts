/**
 * The soak's AWS stand-ins in a process of their own (so their CPU and memory are measured apart
 * from the soak's proxies and ledger): fauxqs in memory, dynalite on LevelDB under
 * `SOAK_DATA_DIR` (on disk, so a long run's table does not grow the heap). Prints
 * `QUOTEFLOW_EMULATORS {json}` once ready; stops on SIGTERM.
 */
import { onShutdownSignal } from '../local/local-env';
import { startEmulators } from '../local/emulators';

async function main(): Promise<void> {
  const emulators = await startEmulators({ sqsPort: 0, dynamodbPort: 0, dataDir: process.env.SOAK_DATA_DIR ?? null });
  console.log(`QUOTEFLOW_EMULATORS ${JSON.stringify({ sqsEndpoint: emulators.sqsEndpoint, dynamodbEndpoint: emulators.dynamodbEndpoint })}`);
  onShutdownSignal(async () => {
    await emulators.stop();
    return 0;
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
