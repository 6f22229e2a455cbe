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
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}
