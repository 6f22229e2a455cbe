import { setTimeout as sleep } from 'node:timers/promises';

/** How often, and with what pauses, {@link sendUntilProcessed} re-sends what a batch call left unprocessed (throttling). */
export const UNPROCESSED_RETRY = { attempts: 6, firstPauseMs: 20, longestPauseMs: 1_000 };

/**
 * The one helper for DynamoDB batch calls (`BatchWriteItem`, `BatchGetItem`): sends `items`, then
 * re-sends whatever the answer lists as unprocessed after a growing pause with full jitter (AWS's
 * advice for both calls), until nothing is left or the attempts are spent. Resolves with what is
 * still unprocessed, which the caller must treat as not done (never as "missing"); a failed call rejects.
 * Hand-rolled because it is ten lines around the SDK's own answer shape; cockatiel's retry policy
 * retries whole calls, not the unprocessed part of one.
 */
export async function sendUntilProcessed<T>(items: T[], send: (items: T[]) => Promise<T[]>, retry = UNPROCESSED_RETRY): Promise<T[]> {
  let left = items;
  for (let attempt = 1; left.length; attempt++) {
    if (attempt > 1) {
      const ceiling = Math.min(retry.firstPauseMs * 2 ** (attempt - 2), retry.longestPauseMs);
      await sleep(Math.random() * ceiling);
    }
    left = await send(left);
    if (attempt === retry.attempts) break;
  }
  return left;
}
