import { QuoteflowError } from '@app/common';
import type { RateLimit } from './market-data-provider';

/** `auth`: bad key or not subscribed; `quota`: rate limit or quota exhausted; `unavailable`: network, timeout, 5xx; `bad_response`: not market data. */
export type UpstreamFailure = 'auth' | 'quota' | 'unavailable' | 'bad_response';

/** The upstream answered with an error or something that is not market data. */
export class UpstreamError extends QuoteflowError {
  readonly status: number | null;
  /** Quota headers of the failed answer, when it had them. */
  readonly rateLimit: RateLimit | null;
  /** For `quota`: when to ask again, from `Retry-After` or the quota reset header; `null` if unknown. */
  readonly retryAfterSeconds: number | null;

  constructor(
    readonly provider: string,
    readonly failure: UpstreamFailure,
    message: string,
    options: { status?: number; rateLimit?: RateLimit | null; retryAfterSeconds?: number | null } = {},
  ) {
    super(`${provider}: ${message}`);
    this.status = options.status ?? null;
    this.rateLimit = options.rateLimit ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}
