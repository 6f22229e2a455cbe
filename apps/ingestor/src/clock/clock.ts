/** Injection token of the clock: the ingest classes read the time through it, so tests can move time. */
export const CLOCK = Symbol('CLOCK');

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
