import { upstreamNumber, type BarInterval, DAY_MS } from '@app/common';
import { DateTime } from 'luxon';
import type { RapidApiClient } from '../rapidapi.client';
import { UpstreamError } from '../upstream.error';
import { BarCollector, HistorySource, type HistoryFetch, type Instrument } from './history-source';

const NEW_YORK = 'America/New_York';

/**
 * Yahoo Finance chart through RapidAPI (`/stock/v3/get-chart`, `interval=1m`), one call per symbol.
 * `timestamp[]` holds each bar's start in epoch seconds (already absolute), the OHLC arrays are
 * parallel to it and hold `null` for a minute without trades.
 */
export class YahooFinanceHistory extends HistorySource {
  readonly provider = 'yahoo-finance' as const;
  readonly callsPerInstrument = 1;
  /** Yahoo serves 1m bars of the last 30 days at most 7 days per call; `range=5d` is 5 sessions, at least 5 days. */
  readonly lookbackMs = 5 * DAY_MS;

  constructor(
    private readonly client: RapidApiClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  intervalFor(): BarInterval {
    return '1m';
  }

  async historyOf(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<HistoryFetch> {
    const now = this.now();
    // today's session alone when the range starts today (New York), else the last five sessions
    const today = DateTime.fromJSDate(now, { zone: NEW_YORK }).startOf('day').toMillis();
    const range = from.getTime() >= today ? '1d' : '5d';
    const { body, rateLimit } = await this.client.get(
      '/stock/v3/get-chart',
      { symbol: instrument.symbol, interval: '1m', range, region: 'US', includePrePost: 'false' },
      signal,
    );
    const collector = new BarCollector(instrument, this.provider, '1m', { from, to, now });
    const chart = (body as { chart?: { result?: unknown; error?: unknown } } | null)?.chart;
    if (chart?.error) {
      const { code, description } = chart.error as { code?: unknown; description?: unknown };
      if (code === 'Not Found') {
        collector.reject('unknown_symbol');
        return collector.result(rateLimit);
      }
      throw new UpstreamError(this.provider, 'bad_response', `chart error ${JSON.stringify(code)}: ${String(description).slice(0, 200)}`, { rateLimit });
    }
    const result = Array.isArray(chart?.result) ? (chart.result[0] as Record<string, unknown> | undefined) : undefined;
    const meta = (result?.meta ?? {}) as Record<string, unknown>;
    if (!result || (meta.dataGranularity !== undefined && meta.dataGranularity !== '1m')) {
      throw new UpstreamError(this.provider, 'bad_response', 'answer has no chart.result[0] of 1m bars', { rateLimit });
    }
    const times = Array.isArray(result.timestamp) ? (result.timestamp as unknown[]) : [];
    const quote = ((result.indicators as { quote?: unknown[] } | undefined)?.quote?.[0] ?? {}) as Record<string, unknown>;
    const column = (name: string, i: number) => (Array.isArray(quote[name]) ? chartNumber((quote[name] as unknown[])[i]) : null);
    times.forEach((t, i) => {
      if (typeof t !== 'number' || !Number.isInteger(t) || t % 60 !== 0) {
        // during a session the last point is the minute in progress, stamped with its latest trade
        if (i === times.length - 1 && typeof t === 'number') return;
        return collector.reject('invalid_bar_time');
      }
      const bar = { startMs: t * 1000, close: column('close', i), high: column('high', i), low: column('low', i) };
      if (bar.close === null && bar.high === null && bar.low === null) collector.saw(bar.startMs);
      else collector.add(bar);
    });
    return collector.result(rateLimit);
  }
}

/**
 * Yahoo keeps chart prices as 32-bit floats and prints them as doubles (`216.32` arrives as
 * `216.32000732421875`). A value that is exactly a 32-bit float is read back as the shortest decimal
 * that is the same 32-bit float: the price as quoted, not rounded to a guessed number of decimals.
 * Any other number is kept as sent.
 */
export function chartNumber(value: unknown): number | null {
  const n = upstreamNumber(value);
  if (n === null || typeof value !== 'number' || Math.fround(n) !== n) return n;
  for (let digits = 1; digits <= 9; digits++) {
    const shortest = Number(n.toPrecision(digits));
    if (Math.fround(shortest) === n) return shortest;
  }
  return n;
}
