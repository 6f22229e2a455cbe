/**
 * Whether `err` is DynamoDB's answer that a write's condition did not hold
 * (`ConditionalCheckFailedException`, thrown as such by the low-level and the document client).
 * The one place that recognises it.
 */
export function isConditionFailed(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/**
 * Runs one conditional DynamoDB write. Resolves `false` when its condition failed
 * (`ConditionalCheckFailedException`: "already stored", "lease held"), which is an answer, not an
 * error; any other error is thrown as the SDK raised it.
 */
export async function writeIfConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}
