import { QuoteflowError } from '@app/common';

export type UpstreamFailure = 'auth' | 'quota' | 'unavailable' | 'bad_response';

/** The upstream answered with an error or something that is not market data. */
export class UpstreamError extends QuoteflowError {
  constructor(
    readonly provider: string,
    readonly failure: UpstreamFailure,
    message: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`${provider}: ${message}`, options);
  }
}
