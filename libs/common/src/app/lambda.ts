/**
 * Wraps the set-up of a Lambda container (a Nest application, its SDK clients): the first invocation
 * runs `create`, every later one in the same container gets the same result. A failed set-up is
 * forgotten, so the next invocation tries again instead of failing for the container's lifetime.
 */
export function oncePerContainer<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= create().catch((err: unknown) => {
      pending = undefined;
      throw err;
    }));
}
