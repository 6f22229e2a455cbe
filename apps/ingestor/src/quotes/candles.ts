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
 * OHLC candles from stored quotes (any order): open = first price, close = last price.
 *
 * A quote's `high`/`low` are the day's range so far, not the interval's, so only `1d` candles take
 * them as they are (highest stored high, lowest stored low; the price where a quote has none). An
 * intraday candle's high/low come from the prices in the interval and from the day's range where it
 * moved: a day high above the previous stored quote's, on the same trading day (in `zone`), was
 * reached between the two quotes and counts for the later quote's interval (likewise a lower day
 * low). An unchanged day high says nothing about the interval. The first stored quote of a day has
 * no such neighbour: its day high/low were reached at an unknown time before it (possibly at the
 * open, hours earlier), so only its price counts.
 *
 * `previous`: the last stored quote before the range, so the range's first quote is judged like any
 * other instead of as a first quote of the day.
 */
export function buildCandles(quotes: StoredQuote[], interval: CandleInterval, zone: string, previous: StoredQuote | null = null): Candle[] {
  const sorted = [...quotes].sort((a, b) => a.quoteTime.localeCompare(b.quoteTime));
  const candles = new Map<number, Candle>();
  // a bucket never spans two local days, so its start names the trading day
  let before = previous && { quote: previous, day: bucketStart(previous.quoteTime, interval, zone).toISODate() };
  for (const q of sorted) {
    const start = bucketStart(q.quoteTime, interval, zone);
    const key = start.toMillis();
    const day = start.toISODate();
    const { high, low } = interval === '1d' ? dayRange(q) : reachedSince(q, before?.day === day ? before.quote : null);
    before = { quote: q, day };
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

function dayRange(q: StoredQuote): { high: number; low: number } {
  return { high: q.high ?? q.price, low: q.low ?? q.price };
}

/** What `q` proves was traded since `earlier`, the previous stored quote of its day (`null`: none). */
function reachedSince(q: StoredQuote, earlier: StoredQuote | null): { high: number; low: number } {
  const rose = earlier?.high != null && q.high !== null && q.high > earlier.high;
  const fell = earlier?.low != null && q.low !== null && q.low < earlier.low;
  return { high: rose ? Math.max(q.high!, q.price) : q.price, low: fell ? Math.min(q.low!, q.price) : q.price };
}
