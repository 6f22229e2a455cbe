/**
 * Runs `create` on the first call and hands every later call the same result; a failure is
 * forgotten, so the next call tries again instead of failing for good. Used for the set-up of a
 * Lambda container (its Nest application, once per container) and for lookups such as a queue URL.
 */
export function onceUntilFailure<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= create().catch((err: unknown) => {
      pending = undefined;
      throw err;
    }));
}
