/**
 * One step of a scenario test (a test whose steps build on each other, so they cannot be separate
 * tests that jest may run alone): runs `body` and names the step in its failure.
 */
export async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof Error) err.message = `step "${name}" failed: ${err.message}`;
    throw err;
  }
}
