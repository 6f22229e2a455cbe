/**
 * A fake of `T` that has only the members a test sets up: touching any other member throws, so a
 * call nobody expected fails the test instead of returning `undefined`.
 */
export function strictFake<T extends object>(members: Partial<T>, name = 'fake'): T {
  return new Proxy(members as T, {
    get(target, prop, receiver) {
      if (prop in target || typeof prop === 'symbol' || prop === 'then') return Reflect.get(target, prop, receiver);
      throw new Error(`${name}.${String(prop)} was used but not set up by the test`);
    },
  });
}
