import { setTimeout as sleep } from 'node:timers/promises';

/** How often, and with what pauses, the writer re-sends what a batch call left unprocessed (throttling). */
export const UNPROCESSED_RETRY = { attempts: 6, firstPauseMs: 20, longestPauseMs: 1_000 };

/**
 * Sends `items`, then re-sends whatever the answer lists as unprocessed after a growing pause with
 * full jitter (AWS's advice for BatchWriteItem/BatchGetItem), until nothing is left or the
 * attempts are spent. Resolves with what is still unprocessed; a failed call rejects.
 */
export async function sendUntilProcessed<T>(items: T[], send: (items: T[]) => Promise<T[]>): Promise<T[]> {
  let left = items;
  for (let attempt = 1; left.length; attempt++) {
    if (attempt > 1) {
      const ceiling = Math.min(UNPROCESSED_RETRY.firstPauseMs * 2 ** (attempt - 2), UNPROCESSED_RETRY.longestPauseMs);
      await sleep(Math.random() * ceiling);
    }
    left = await send(left);
    if (attempt === UNPROCESSED_RETRY.attempts) break;
  }
  return left;
}
