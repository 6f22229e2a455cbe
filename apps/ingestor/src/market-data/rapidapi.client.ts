import { HttpService } from '@nestjs/axios';
import { AxiosError, type AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import type { RateLimit } from './market-data-provider';
import { UpstreamError } from './upstream.error';

export interface RapidApiOptions {
  provider: string;
  /** Secret: sent as a header, never logged. */
  key: string;
  host: string;
  baseUrl: string;
  timeoutMs: number;
}

/** Small adapter for GET requests through the RapidAPI gateway; one per provider. */
export class RapidApiClient {
  constructor(
    private readonly http: HttpService,
    private readonly options: RapidApiOptions,
  ) {}

  /** GETs `path` and returns the parsed JSON body with the gateway's quota headers. */
  async get(path: string, params: Record<string, string> = {}): Promise<{ body: unknown; rateLimit: RateLimit | null }> {
    const { provider, key, host, baseUrl, timeoutMs } = this.options;
    let res: AxiosResponse<unknown>;
    try {
      res = await firstValueFrom(
        this.http.get<unknown>(new URL(path, baseUrl).toString(), {
          params,
          headers: { 'X-RapidAPI-Key': key, 'X-RapidAPI-Host': host, Accept: 'application/json' },
          timeout: timeoutMs,
          // the body is parsed here, so that an HTML error page is an upstream error and not a crash
          responseType: 'text',
          transformResponse: (data: unknown) => data,
          validateStatus: () => true,
        }),
      );
    } catch (err) {
      const reason = err instanceof AxiosError ? (err.code ?? err.message) : String(err);
      throw new UpstreamError(provider, 'unavailable', `request failed (${reason})`, { cause: err });
    }
    const rateLimit = readRateLimit(res.headers as Record<string, unknown>);
    const text = typeof res.data === 'string' ? res.data : '';
    if (res.status >= 400) throw statusError(provider, res.status, text, rateLimit);
    try {
      return { body: JSON.parse(text), rateLimit };
    } catch (cause) {
      throw new UpstreamError(provider, 'bad_response', `answered ${res.status} with a body that is not JSON`, {
        status: res.status,
        rateLimit,
        cause,
      });
    }
  }
}

function statusError(provider: string, status: number, text: string, rateLimit: RateLimit | null): UpstreamError {
  let detail = '';
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') detail = `: ${message.slice(0, 200)}`;
  } catch {
    // not JSON: keep only the status
  }
  const failure = status === 401 || status === 403 ? 'auth' : status === 429 ? 'quota' : 'unavailable';
  return new UpstreamError(provider, failure, `upstream answered HTTP ${status}${detail}`, { status, rateLimit });
}

function readRateLimit(headers: Record<string, unknown>): RateLimit | null {
  const num = (name: string) => {
    const value = Number(headers[name]);
    return headers[name] === undefined || !Number.isFinite(value) ? null : value;
  };
  const limit = num('x-ratelimit-requests-limit');
  const remaining = num('x-ratelimit-requests-remaining');
  const resetSeconds = num('x-ratelimit-requests-reset');
  if (limit === null && remaining === null && resetSeconds === null) return null;
  return { limit, remaining, resetSeconds, observedAt: new Date().toISOString() };
}
