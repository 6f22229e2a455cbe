import { upstreamNumber, type BarInterval, DAY_MS, MINUTE_MS } from '@app/common';
import type { RapidApiClient } from '../rapidapi.client';
import { UpstreamError } from '../upstream.error';
import { BarCollector, HistorySource, type HistoryFetch, type Instrument } from './history-source';


/**
 * CoinGecko `/coins/{id}/market_chart/range` through RapidAPI, one call per coin. `prices` are
 * `[epoch ms, price]` samples, not bars: a backfilled coin quote is the price at that instant, with
 * no high or low, labelled with the sampling step CoinGecko chose for the range.
 */
export class CoinGeckoHistory extends HistorySource {
  readonly provider = 'coingecko' as const;
  readonly callsPerInstrument = 1;
  /** Demo and public keys reach one year back. */
  readonly lookbackMs = 365 * DAY_MS;

  constructor(
    private readonly client: RapidApiClient,
    private readonly options: { vsCurrency: string; now?: () => Date },
  ) {
    super();
  }

  /**
   * CoinGecko's automatic granularity: 5-minutely for a range within the last day, hourly for any
   * other range up to 90 days, daily (00:00 UTC) beyond.
   */
  intervalFor(from: Date, to: Date): BarInterval {
    const span = to.getTime() - from.getTime();
    if (span <= DAY_MS && from.getTime() >= this.now().getTime() - DAY_MS) return '5m';
    return span <= 90 * DAY_MS ? '1h' : '1d';
  }

  async historyOf(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<HistoryFetch> {
    const now = this.now();
    if (!instrument.series) {
      const none = new BarCollector(instrument, this.provider, '5m', { from, to, now }, 'samples');
      none.reject('missing_coin_id');
      return none.result(null);
    }
    let answer: Awaited<ReturnType<RapidApiClient['get']>>;
    try {
      answer = await this.client.get(
        `/coins/${encodeURIComponent(instrument.series)}/market_chart/range`,
        { vs_currency: this.options.vsCurrency, from: String(Math.floor(from.getTime() / 1000)), to: String(Math.ceil(to.getTime() / 1000)) },
        signal,
      );
    } catch (err) {
      if (!(err instanceof UpstreamError && err.status === 404)) throw err;
      const unknown = new BarCollector(instrument, this.provider, '5m', { from, to, now }, 'samples');
      unknown.reject('unknown_coin_id');
      return unknown.result(err.rateLimit);
    }
    const { body, rateLimit } = answer;
    const prices = (body as { prices?: unknown } | null)?.prices;
    if (!Array.isArray(prices)) throw new UpstreamError(this.provider, 'bad_response', 'answer has no "prices" array', { rateLimit });
    const samples = prices.map((p): unknown[] => (Array.isArray(p) ? p : []));
    const collector = new BarCollector(instrument, this.provider, sampleStep(samples) ?? this.intervalFor(from, to), { from, to, now }, 'samples');
    for (const [time, price] of samples) {
      if (typeof time !== 'number' || !Number.isInteger(time) || time <= 0) {
        collector.reject('invalid_bar_time');
        continue;
      }
      // JSON numbers as parsed, `1.0e-05` included: any rounding would change the stored value
      collector.add({ startMs: time, close: upstreamNumber(price), high: null, low: null });
    }
    return collector.result(rateLimit);
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/** The step the answer was sampled at, from the median gap between samples; `null` with fewer than two. */
export function sampleStep(samples: unknown[][]): BarInterval | null {
  const times = samples.map(([t]) => t).filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  if (times.length < 2) return null;
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i])
    .sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  if (median < 15 * MINUTE_MS) return '5m';
  return median < 6 * 60 * MINUTE_MS ? '1h' : '1d';
}
