import { HttpService } from '@nestjs/axios';
import { AxiosError, type AxiosResponse } from 'axios';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { firstValueFrom } from 'rxjs';
import type { RateLimit } from './market-data-provider';
import { UpstreamError } from './upstream.error';

export interface RapidApiOptions {
  provider: string;
  /** Secret: sent as a header, never logged. */
  key: string;
  host: string;
  baseUrl: string;
  /** Per attempt, connecting included. */
  timeoutMs: number;
  /** Attempts per call for timeouts, network errors and 5xx answers. */
  maxAttempts: number;
  /** First retry delay; later ones grow exponentially, with jitter. */
  initialRetryDelayMs?: number;
  /** Told about every attempt: its HTTP status (`null`: no answer), duration and the quota headers. */
  onAttempt?: (status: number | null, seconds: number, rateLimit: RateLimit | null) => void;
}

export interface RapidApiAnswer {
  body: unknown;
  rateLimit: RateLimit | null;
}

/**
 * Small adapter for GET requests through the RapidAPI gateway; one per provider. Timeouts, network
 * errors and 5xx answers are retried (exponential backoff with jitter, cockatiel) while the caller's
 * signal allows; quota, auth and malformed answers are not: retrying cannot fix them.
 */
export class RapidApiClient {
  private readonly policy: RetryPolicy;

  constructor(
    private readonly http: HttpService,
    private readonly options: RapidApiOptions,
  ) {
    this.policy = retry(
      handleWhen((err) => err instanceof UpstreamError && err.failure === 'unavailable'),
      {
        maxAttempts: options.maxAttempts - 1,
        backoff: new ExponentialBackoff({ initialDelay: options.initialRetryDelayMs ?? 250, maxDelay: 5_000 }),
      },
    );
  }

  /** GETs `path` and returns the parsed JSON body with the gateway's quota headers. */
  get(path: string, params: Record<string, string> = {}, signal?: AbortSignal): Promise<RapidApiAnswer> {
    return this.policy.execute(({ signal: attemptSignal }) => this.attempt(path, params, attemptSignal), signal);
  }

  private async attempt(path: string, params: Record<string, string>, signal: AbortSignal): Promise<RapidApiAnswer> {
    const { provider, key, host, baseUrl, timeoutMs, onAttempt } = this.options;
    const started = performance.now();
    let res: AxiosResponse<unknown>;
    try {
      res = await firstValueFrom(
        this.http.get<unknown>(new URL(path, baseUrl).toString(), {
          params,
          headers: { 'X-RapidAPI-Key': key, 'X-RapidAPI-Host': host, Accept: 'application/json' },
          timeout: timeoutMs,
          signal,
          // parsed here, so that an HTML page or truncated JSON is an upstream error, not a crash
          responseType: 'text',
          transformResponse: (data: unknown) => data,
          validateStatus: () => true,
          maxRedirects: 0,
        }),
      );
    } catch (err) {
      // only the error code: the request config (with the key header) stays out of messages
      const reason = err instanceof AxiosError ? (err.code ?? 'network error') : 'network error';
      onAttempt?.(null, (performance.now() - started) / 1000, null);
      throw new UpstreamError(provider, 'unavailable', `request failed (${reason})`);
    }
    const rateLimit = readRateLimit(res.headers);
    onAttempt?.(res.status, (performance.now() - started) / 1000, rateLimit);
    const text = typeof res.data === 'string' ? res.data : '';
    // a gateway may quote the key back in its error text, which ends up in logs, /status and answers
    const quoted = () => (key ? text.split(key).join('[REDACTED]') : text);
    if (res.status >= 300) throw statusError(provider, res.status, quoted(), rateLimit, res.headers);
    try {
      return { body: JSON.parse(text), rateLimit };
    } catch {
      throw new UpstreamError(provider, 'bad_response', `answered ${res.status} with a body that is not JSON (${describe(quoted())})`, {
        status: res.status,
        rateLimit,
      });
    }
  }
}

function statusError(
  provider: string,
  status: number,
  text: string,
  rateLimit: RateLimit | null,
  headers: Record<string, unknown>,
): UpstreamError {
  const failure = status === 401 || status === 403 ? 'auth' : status === 429 ? 'quota' : status >= 500 || status === 408 ? 'unavailable' : 'bad_response';
  // Retry-After in seconds (RapidAPI rarely sends it), else the quota reset the gateway announced
  const retryAfter = typeof headers['retry-after'] === 'string' ? Number(headers['retry-after']) : NaN;
  return new UpstreamError(provider, failure, `upstream answered HTTP ${status}${gatewayMessage(text)}`, {
    status,
    rateLimit,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : (rateLimit?.resetSeconds ?? null),
  });
}

/** The RapidAPI gateway explains itself in `{"message": ...}`; CoinGecko in `status.error_message`. */
function gatewayMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; status?: { error_message?: unknown } };
    const message = typeof body.message === 'string' ? body.message : body.status?.error_message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return text.trim() ? ` (${describe(text)})` : '';
  }
}

function describe(text: string): string {
  if (/^\s*</.test(text)) return 'an HTML page';
  if (!text.trim()) return 'empty';
  return `${text.length} characters starting ${JSON.stringify(text.slice(0, 40))}`;
}

function readRateLimit(headers: Record<string, unknown>): RateLimit | null {
  const num = (name: string) => {
    const text = headers[name];
    const value = Number(text);
    return typeof text !== 'string' || text.trim() === '' || !Number.isFinite(value) ? null : value;
  };
  const limit = num('x-ratelimit-requests-limit');
  const remaining = num('x-ratelimit-requests-remaining');
  const resetSeconds = num('x-ratelimit-requests-reset');
  if (limit === null && remaining === null && resetSeconds === null) return null;
  return { limit, remaining, resetSeconds, observedAt: new Date().toISOString() };
}
