import { normaliseSymbol, upstreamNumber, type QuoteCandidate } from '@app/common';
import { CoinGeckoHistory } from './history/coingecko.history';
import { MarketDataProvider, type ProviderFetch, type RateLimit } from './market-data-provider';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';

export interface CoinGeckoOptions {
  /** Coin ids to fetch (lower case); `null` = the top coins by market cap. */
  ids: string[] | null;
  /** Currency the prices are quoted in, lower case (`usd`). */
  vsCurrency: string;
  /** Keep only these stored symbols (`BTC-USD`); `null` keeps every coin. */
  symbols: string[] | null;
  now?: () => Date;
}

/** Coins fetched when no ids are configured. */
export const TOP_COINS = 50;
/** Ids per call: CoinGecko pages `/coins/markets` (100 rows by default), and long URLs are refused by some gateways. */
const IDS_PER_CALL = 100;

/** An instant with an explicit zone; without one `Date` would read it in the host's zone. */
const ZONED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * CoinGecko `/coins/markets` through RapidAPI. A coin symbol is not unique (several ids share
 * `usdt`), so the coin id is the quote's series: two ids never share one history.
 */
export class CoinGeckoProvider extends MarketDataProvider {
  readonly name = 'coingecko' as const;
  /** `market_chart/range`, price samples. */
  override readonly history: CoinGeckoHistory;

  constructor(
    private readonly client: RapidApiClient,
    private readonly options: CoinGeckoOptions,
  ) {
    super();
    this.history = new CoinGeckoHistory(client, { vsCurrency: options.vsCurrency, now: options.now });
  }

  async fetch(signal?: AbortSignal): Promise<ProviderFetch> {
    const wanted = this.options.symbols ? new Set(this.options.symbols) : null;
    const candidates: QuoteCandidate[] = [];
    const rejections: NonNullable<ProviderFetch['rejections']> = [];
    let rateLimit: RateLimit | null = null;
    for (const params of this.calls()) {
      try {
        const answer = await this.client.get('/coins/markets', params, signal);
        rateLimit = answer.rateLimit ?? rateLimit;
        if (!Array.isArray(answer.body)) {
          throw new UpstreamError(this.name, 'bad_response', 'answer is not a JSON array of coins', { rateLimit });
        }
        const seen = new Set<string>();
        for (const row of answer.body) {
          const coin = readCoin(row, this.options.vsCurrency);
          if (coin.id) seen.add(coin.id);
          if (wanted && !(coin.candidate.symbol && wanted.has(coin.candidate.symbol))) continue;
          // The shared schema allows a missing day range (indices, some stock feeds); for a coin it
          // means listed less than a day ago, when CoinGecko's other figures are null too.
          if (coin.candidate.high == null || coin.candidate.low == null) {
            rejections.push({ symbol: coin.candidate.symbol ?? null, reason: 'missing_day_range' });
          } else {
            candidates.push(coin.candidate);
          }
        }
        const unknownIds = params.ids?.split(',').filter((i) => !seen.has(i)) ?? [];
        rejections.push(...unknownIds.map(() => ({ symbol: null, reason: 'unknown_coin_id' })));
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        if (candidates.length === 0 && rejections.length === 0) throw err;
        return { candidates, rejections, rateLimit: err.rateLimit ?? rateLimit, failure: err };
      }
    }
    return { candidates, rejections, rateLimit };
  }

  private calls(): Record<string, string>[] {
    const vs_currency = this.options.vsCurrency;
    const { ids } = this.options;
    if (!ids) return [{ vs_currency, order: 'market_cap_desc', per_page: String(TOP_COINS), page: '1' }];
    const calls: Record<string, string>[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
      const chunk = ids.slice(i, i + IDS_PER_CALL);
      calls.push({ vs_currency, ids: chunk.join(','), per_page: String(chunk.length), page: '1' });
    }
    return calls;
  }
}

/** One `/coins/markets` row: its id (the series) and the candidate stored as `<SYMBOL>-<VS>`. */
export function readCoin(row: unknown, vsCurrency: string): { id: string | null; candidate: QuoteCandidate } {
  const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
  const id = typeof r.id === 'string' && r.id.trim() ? r.id.trim() : null;
  return {
    id,
    candidate: {
      symbol: typeof r.symbol === 'string' && r.symbol.trim() ? normaliseSymbol(`${r.symbol.trim()}-${vsCurrency}`) : null,
      series: id,
      // JSON numbers as parsed, `1.812e-05` included: any rounding here would change the stored value
      price: upstreamNumber(r.current_price),
      high: upstreamNumber(r.high_24h),
      low: upstreamNumber(r.low_24h),
      quoteTime: parseInstant(r.last_updated),
      source: 'coingecko',
    },
  };
}

/** `2024-12-30T08:41:10.112Z` → the same instant as `toISOString()` writes it; `null` when unzoned or unparsable. */
export function parseInstant(value: unknown): string | null {
  if (typeof value !== 'string' || !ZONED_INSTANT.test(value.trim())) return null;
  const time = new Date(value.trim());
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
