import { normaliseSymbol, upstreamNumber, type QuoteCandidate } from '@app/common';
import { DateTime } from 'luxon';
import { throwOnAlphaVantageNotice } from './alpha-vantage.notices';
import { AlphaVantageHistory } from './history/alpha-vantage.history';
import { MarketDataProvider, type ProviderFetch, type RateLimit } from './market-data-provider';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';

const NEW_YORK = 'America/New_York';

/**
 * Alpha Vantage `GLOBAL_QUOTE` through RapidAPI: one call per symbol, every field a string, and
 * errors or rate limits reported as HTTP 200 bodies (`Note`, `Information`, `Error Message`).
 */
export class AlphaVantageProvider extends MarketDataProvider {
  readonly name = 'alpha-vantage' as const;
  /** `TIME_SERIES_INTRADAY`, 1min bars. */
  override readonly history: AlphaVantageHistory;

  constructor(
    private readonly client: RapidApiClient,
    private readonly options: { symbols: string[]; now?: () => Date },
  ) {
    super();
    this.history = new AlphaVantageHistory(client, options.now);
  }

  async fetch(signal?: AbortSignal): Promise<ProviderFetch> {
    const candidates: QuoteCandidate[] = [];
    const rejections: NonNullable<ProviderFetch['rejections']> = [];
    let rateLimit: RateLimit | null = null;
    for (const symbol of this.options.symbols) {
      try {
        const answer = await this.client.get('/query', { function: 'GLOBAL_QUOTE', symbol, datatype: 'json' }, signal);
        rateLimit = answer.rateLimit ?? rateLimit;
        const row = this.readQuote(answer.body, rateLimit);
        if (row === 'unknown') rejections.push({ symbol, reason: 'unknown_symbol' });
        else if (row === 'error') rejections.push({ symbol, reason: 'upstream_error' });
        else candidates.push(row);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        // a quota or key problem fails every later call too: stop, keep what was fetched
        if (candidates.length === 0 && rejections.length === 0) throw err;
        return { candidates, rejections, rateLimit: err.rateLimit ?? rateLimit, failure: err };
      }
    }
    return { candidates, rejections, rateLimit };
  }

  private readQuote(body: unknown, rateLimit: RateLimit | null): QuoteCandidate | 'unknown' | 'error' {
    throwOnAlphaVantageNotice(body, rateLimit);
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof b['Error Message'] === 'string') return 'error';
    const quote = b['Global Quote'];
    if (typeof quote !== 'object' || quote === null) {
      throw new UpstreamError(this.name, 'bad_response', 'answer has no "Global Quote"', { rateLimit });
    }
    const q = quote as Record<string, unknown>;
    if (Object.keys(q).length === 0) return 'unknown';
    return toAlphaVantageCandidate(q, (this.options.now ?? (() => new Date()))());
  }
}

/**
 * GLOBAL_QUOTE gives the trading day, not the time of the price: during the session the price is
 * the current one (as of the call), after it the day's close (16:00 New York time).
 */
export function toAlphaVantageCandidate(q: Record<string, unknown>, fetchedAt: Date): QuoteCandidate {
  const day = typeof q['07. latest trading day'] === 'string' ? q['07. latest trading day'] : '';
  const close = DateTime.fromISO(`${day}T16:00:00`, { zone: NEW_YORK });
  const quoteTime = close.isValid && /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(Math.min(close.toMillis(), fetchedAt.getTime())) : null;
  if (quoteTime) quoteTime.setUTCMilliseconds(0);
  return {
    symbol: typeof q['01. symbol'] === 'string' ? normaliseSymbol(q['01. symbol']) : null,
    series: null,
    price: upstreamNumber(q['05. price']),
    high: upstreamNumber(q['03. high']),
    low: upstreamNumber(q['04. low']),
    quoteTime: quoteTime?.toISOString() ?? null,
    source: 'alpha-vantage',
  };
}
