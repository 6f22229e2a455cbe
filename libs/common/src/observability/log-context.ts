import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields that every log line written inside the context carries (`runId`, `messageId`, ...). */
export type LogFields = Record<string, string | number>;

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` so that every log line it writes, however deep and however late (awaits, timers),
 * carries `fields` as well as those of any enclosing context.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** The fields of the current context; `{}` outside any. */
export function logContext(): LogFields {
  return storage.getStore() ?? {};
}
