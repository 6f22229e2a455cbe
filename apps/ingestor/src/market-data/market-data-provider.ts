import type { ProviderName, QuoteCandidate } from '@app/common';
import type { HistorySource } from './history/history-source';
import type { UpstreamError } from './upstream.error';

/** Quota as the RapidAPI gateway reports it in `x-ratelimit-requests-*` headers. */
export interface RateLimit {
  limit: number | null;
  remaining: number | null;
  /** Seconds until the quota resets, as of `observedAt`. */
  resetSeconds: number | null;
  observedAt: string;
}

export interface ProviderFetch {
  /** One candidate per upstream row kept by the symbol filter, not yet validated. */
  candidates: QuoteCandidate[];
  rateLimit: RateLimit | null;
  /** Rows the provider itself refused (e.g. `unknown_symbol`), counted with the validation rejects. */
  rejections?: { symbol: string | null; reason: string }[];
  /**
   * Set when the provider stopped part-way (e.g. the quota ran out after some per-symbol calls):
   * the candidates gathered before it are still good.
   */
  failure?: UpstreamError;
}

/**
 * One market-data upstream. Implementations map the upstream's shape (and time zone) into
 * {@link QuoteCandidate}s and nothing more; validation, publishing and bookkeeping are the ingest
 * service's. When its market is open is not the adapter's business either: the exchange calendar
 * of its name decides (`exchangeOfProvider` in `@app/common`). Injected as an array under
 * {@link MARKET_DATA_PROVIDERS}.
 */
export abstract class MarketDataProvider {
  abstract readonly name: ProviderName;
  /** The upstream's history endpoint, for backfill; `null` when it has none. */
  readonly history: HistorySource | null = null;
  /** `signal` aborts when the run's time budget is spent. */
  abstract fetch(signal?: AbortSignal): Promise<ProviderFetch>;
}

export const MARKET_DATA_PROVIDERS = Symbol('MARKET_DATA_PROVIDERS');
