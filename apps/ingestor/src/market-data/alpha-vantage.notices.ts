import type { RateLimit } from './market-data-provider';
import { UpstreamError } from './upstream.error';

/**
 * Alpha Vantage answers a spent quota with HTTP 200 and a `Note` or `Information` body: turned into
 * the same `quota` error as a 429, so that live runs and backfills pause on it alike.
 */
export function throwOnAlphaVantageNotice(body: unknown, rateLimit: RateLimit | null): void {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const key of ['Note', 'Information']) {
    if (typeof b[key] === 'string') {
      throw new UpstreamError('alpha-vantage', 'quota', `upstream says: ${(b[key]).slice(0, 200)}`, { rateLimit });
    }
  }
}
