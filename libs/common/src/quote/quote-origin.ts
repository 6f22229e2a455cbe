/**
 * Where a quote comes from: `live` (the provider's current-quote endpoint, on the schedule) or
 * `backfill` (a bar from the provider's history endpoint, filling a gap in the stored history).
 */
export const QUOTE_ORIGINS = ['live', 'backfill'] as const;
export type QuoteOrigin = (typeof QUOTE_ORIGINS)[number];

/** Lengths of the bar (or sampling step) a backfilled quote stands for. */
export const BAR_INTERVALS = ['1m', '5m', '15m', '30m', '1h', '1d'] as const;
export type BarInterval = (typeof BAR_INTERVALS)[number];

/** Each {@link BarInterval} in milliseconds. */
export const BAR_INTERVAL_MS: Record<BarInterval, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};
