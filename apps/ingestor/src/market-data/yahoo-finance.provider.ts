import { normaliseSymbol, upstreamNumber, type QuoteCandidate } from '@app/common';
import { YahooFinanceHistory } from './history/yahoo-finance.history';
import { MarketDataProvider, type ProviderFetch, type RateLimit } from './market-data-provider';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';

/** Symbols per call: the endpoint takes a list; long URLs are refused by some gateways. */
const SYMBOLS_PER_CALL = 50;

/**
 * Yahoo Finance through RapidAPI (`/market/v2/get-quotes?region=US&symbols=A,B`): many symbols per
 * call, `regularMarketTime` in epoch seconds (already an absolute instant).
 */
export class YahooFinanceProvider extends MarketDataProvider {
  readonly name = 'yahoo-finance' as const;
  /** The chart endpoint, 1m bars. */
  override readonly history: YahooFinanceHistory;

  constructor(
    private readonly client: RapidApiClient,
    private readonly options: { symbols: string[]; now?: () => Date },
  ) {
    super();
    this.history = new YahooFinanceHistory(client, options.now);
  }

  async fetch(signal?: AbortSignal): Promise<ProviderFetch> {
    const candidates: QuoteCandidate[] = [];
    const rejections: NonNullable<ProviderFetch['rejections']> = [];
    let rateLimit: RateLimit | null = null;
    for (let i = 0; i < this.options.symbols.length; i += SYMBOLS_PER_CALL) {
      const wanted = this.options.symbols.slice(i, i + SYMBOLS_PER_CALL);
      try {
        const answer = await this.client.get('/market/v2/get-quotes', { region: 'US', symbols: wanted.join(',') }, signal);
        rateLimit = answer.rateLimit ?? rateLimit;
        const rows = readResult(answer.body, rateLimit);
        const seen = new Set<string>();
        for (const row of rows) {
          const candidate = toYahooCandidate(row);
          if (candidate.symbol) seen.add(candidate.symbol);
          candidates.push(candidate);
        }
        for (const symbol of wanted.filter((s) => !seen.has(s))) rejections.push({ symbol, reason: 'unknown_symbol' });
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        if (candidates.length === 0) throw err;
        return { candidates, rejections, rateLimit: err.rateLimit ?? rateLimit, failure: err };
      }
    }
    return { candidates, rejections, rateLimit };
  }
}

function readResult(body: unknown, rateLimit: RateLimit | null): unknown[] {
  const result = (body as { quoteResponse?: { result?: unknown } } | null)?.quoteResponse?.result;
  if (!Array.isArray(result)) {
    throw new UpstreamError('yahoo-finance', 'bad_response', 'answer has no quoteResponse.result array', { rateLimit });
  }
  return result;
}

/** Yahoo numbers are plain, or `{ raw, fmt }` objects on some endpoints: take `raw`. */
function yahooNumber(value: unknown): number | null {
  if (typeof value === 'object' && value !== null && 'raw' in value) return upstreamNumber((value).raw);
  return upstreamNumber(value);
}

export function toYahooCandidate(row: unknown): QuoteCandidate {
  const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
  const epoch = yahooNumber(r.regularMarketTime);
  return {
    symbol: typeof r.symbol === 'string' ? normaliseSymbol(r.symbol) : null,
    series: null,
    price: yahooNumber(r.regularMarketPrice),
    high: yahooNumber(r.regularMarketDayHigh),
    low: yahooNumber(r.regularMarketDayLow),
    quoteTime: epoch !== null && epoch > 0 && Number.isInteger(epoch) ? new Date(epoch * 1000).toISOString() : null,
    source: 'yahoo-finance',
  };
}
