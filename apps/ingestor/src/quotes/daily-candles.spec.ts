import { parseConfig, type StoredQuote } from '@app/common';
import { Registry } from 'prom-client';
import { quoteFactory } from '../../../../test/support/factories';
import { buildCandles } from './candles';
import { DailyCandles } from './daily-candles';
import type { QuoteReader } from './quote-reader';

const ZONE = 'Asia/Kolkata';
const FIRST_OPEN = Date.parse('2026-10-01T03:45:00.000Z');
const DAY_MS = 86_400_000;
/** "Now": 30 days after the first session; with BACKFILL_MAX_DAYS=5 the last 6 days may still change. */
const NOW = new Date(FIRST_OPEN + 30 * DAY_MS);

/** 30 days of an NSE symbol, 20 quotes a day, prices and day ranges moving. */
function month(): StoredQuote[] {
  return Array.from({ length: 30 * 20 }, (_, i) => {
    const day = Math.floor(i / 20);
    const price = 100 + ((i * 13) % 17) * 0.05 + day;
    return { ...quoteFactory({ symbol: 'ACME', price, high: price + 1, low: price - 1, quoteTime: new Date(FIRST_OPEN + day * DAY_MS + (i % 20) * 60_000).toISOString() }), insertedAt: NOW.toISOString() };
  });
}

/** A reader over `quotes` that counts the quotes it hands out. */
function countingReader(quotes: StoredQuote[]) {
  const reads = { calls: 0, items: 0 };
  const reader = {
    historyBetween: async (_s: string, _series: string | null, from: string, to: string) => {
      const found = quotes.filter((q) => q.quoteTime >= from && q.quoteTime <= to);
      reads.calls++;
      reads.items += found.length;
      return found;
    },
  } as unknown as QuoteReader;
  return { reader, reads };
}

describe('DailyCandles', () => {
  const quotes = month();
  const from = '2026-09-30T18:30:00.000Z'; // midnight in Mumbai, the first day whole
  const to = new Date(NOW.getTime()).toISOString();
  const daily = (reader: QuoteReader, registry?: Registry) => new DailyCandles(reader, parseConfig({ BACKFILL_MAX_DAYS: '5' }), registry, () => NOW);

  it('answers exactly what one read of the whole range would', async () => {
    const { reader } = countingReader(quotes);

    const candles = await daily(reader).between('ACME', 'EQ', ZONE, from, to);

    expect(candles).toEqual(buildCandles(quotes, '1d', ZONE));
    expect(candles).toHaveLength(30);
  });

  it('reads only the days that may still change on a second request, and counts hits and misses', async () => {
    const { reader, reads } = countingReader(quotes);
    const registry = new Registry();
    const candles = daily(reader, registry);
    const first = await candles.between('ACME', 'EQ', ZONE, from, to);
    const cold = { ...reads };

    const second = await candles.between('ACME', 'EQ', ZONE, from, to);

    expect(second).toEqual(first);
    expect(cold.items).toBe(quotes.length);
    // the last 6 days (BACKFILL_MAX_DAYS + 1) and today are read again, the 24 settled days are not
    expect(reads.calls - cold.calls).toBe(7);
    expect(reads.items - cold.items).toBe(6 * 20);
    const metric = await registry.getSingleMetricAsString('quoteflow_candle_cache_days_total');
    expect(metric).toMatch(/result="hit"\} 24$/m);
    expect(metric).toMatch(/result="miss"\} 38$/m);
  });

  it('never caches a day the range covers only in part', async () => {
    const { reader, reads } = countingReader(quotes);
    const candles = daily(reader);
    const midday = new Date(FIRST_OPEN + 10 * 60_000).toISOString();

    const partial = await candles.between('ACME', 'EQ', ZONE, midday, new Date(FIRST_OPEN + 2 * DAY_MS).toISOString());
    const whole = await candles.between('ACME', 'EQ', ZONE, from, new Date(FIRST_OPEN + 2 * DAY_MS).toISOString());

    expect(partial[0].count).toBe(10);
    expect(whole[0].count).toBe(20);
    // first: day 1 (part), day 2 (whole, cached), day 3 (part); then day 1 (whole) and day 3 (part) again
    expect(reads.calls).toBe(5);
  });
});
