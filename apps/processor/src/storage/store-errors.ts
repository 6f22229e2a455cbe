import { QuoteflowError } from '@app/common';

/** DynamoDB cannot take writes right now (unreachable, throttling, 5xx): retry later, the quote is fine. */
export class StoreUnavailableError extends QuoteflowError {}

// throttling and server-side faults: the same write succeeds later
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);
// the endpoint is down or the network between us failed
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The error as the caller should see it: a {@link StoreUnavailableError} for an outage or throttling, else as the SDK raised it. */
export function asStoreError(err: unknown): Error {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (UNAVAILABLE_NAMES.has(e.name ?? '') || NETWORK_CODES.has(e.code ?? '') || status >= 500) {
    return new StoreUnavailableError(`table unavailable: ${e.name}${e.code ? ` (${e.code})` : ''}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
