import type { ProviderName, QuoteCandidate } from '@app/common';

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
}

/**
 * One market-data upstream. Implementations map the upstream's shape (and time zone) into
 * {@link QuoteCandidate}s and nothing more; validation, publishing and bookkeeping are the ingest
 * service's. Injected as an array under {@link MARKET_DATA_PROVIDERS}.
 */
export abstract class MarketDataProvider {
  abstract readonly name: ProviderName;
  abstract fetch(): Promise<ProviderFetch>;
}

export const MARKET_DATA_PROVIDERS = Symbol('MARKET_DATA_PROVIDERS');
