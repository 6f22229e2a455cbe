import type { StoredQuote } from '@app/common';
import { DateTime } from 'luxon';

export const CANDLE_INTERVALS = ['1m', '5m', '15m', '1h', '1d'] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

const MINUTES: Record<CandleInterval, number> = { '1m': 1, '5m': 5, '15m': 15, '1h': 60, '1d': 1440 };

export interface Candle {
  /** Start of the interval, ISO-8601 UTC. */
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Stored quotes in the interval. */
  count: number;
}

export function intervalMs(interval: CandleInterval): number {
  return MINUTES[interval] * 60_000;
}

/**
 * Start of the interval holding `instant`, counted from local midnight in `zone`: hourly candles of
 * an exchange at UTC+05:30 start on its own hours, daily candles at its own midnight.
 */
export function bucketStart(instant: string, interval: CandleInterval, zone: string): DateTime {
  const local = DateTime.fromISO(instant, { zone });
  const midnight = local.startOf('day');
  const minutes = Math.floor(local.diff(midnight, 'minutes').minutes / MINUTES[interval]) * MINUTES[interval];
  return midnight.plus({ minutes });
}

/**
 * OHLC candles from stored quotes (any order): open = first price, close = last price, high/low =
 * the highest stored high and lowest stored low in the interval (the price where a quote has none).
 */
export function buildCandles(quotes: StoredQuote[], interval: CandleInterval, zone: string): Candle[] {
  const sorted = [...quotes].sort((a, b) => a.quoteTime.localeCompare(b.quoteTime));
  const candles = new Map<number, Candle>();
  for (const q of sorted) {
    const start = bucketStart(q.quoteTime, interval, zone);
    const key = start.toMillis();
    const high = q.high ?? q.price;
    const low = q.low ?? q.price;
    const candle = candles.get(key);
    if (!candle) {
      candles.set(key, { time: start.toUTC().toISO()!, open: q.price, high, low, close: q.price, count: 1 });
    } else {
      candle.high = Math.max(candle.high, high);
      candle.low = Math.min(candle.low, low);
      candle.close = q.price;
      candle.count++;
    }
  }
  return [...candles.values()];
}
