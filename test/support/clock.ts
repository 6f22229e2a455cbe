/**
 * Moves the wall clock (`Date`, `Date.now()`) of this test process forward by `ms`, for a test about
 * something that depends on time having passed (an expired lease, a quota pause that is over, a
 * quote time that has moved on): the test moves the clock instead of waiting. Only `Date` is faked,
 * and it keeps ticking from there; timers, `performance` and `process.hrtime` stay real. Calling it
 * again moves it further; {@link restoreClock} (in an `afterEach`) puts the real clock back.
 */
export function advanceClock(ms: number): void {
  jest.useFakeTimers({
    now: Date.now() + ms,
    advanceTimers: true,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

/** The real clock again (a no-op when {@link advanceClock} was not called). */
export function restoreClock(): void {
  jest.useRealTimers();
}
