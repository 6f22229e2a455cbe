import { normaliseSymbol, upstreamNumber, type QuoteCandidate } from '@app/common';
import { DateTime } from 'luxon';
import { MarketDataProvider, type ProviderFetch, type RateLimit } from './market-data-provider';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';

export interface LatestStockPriceOptions {
  /** Keep only these symbols (upper case); `null` keeps every row. */
  symbols: string[] | null;
  /** Fetch the constituents of these indices (`GET /price?Indices=`) instead of everything (`GET /any`). */
  indices: string[];
}

/** The exchange's zone: `lastUpdateTime` is NSE local time (IST, UTC+05:30) written without a zone. */
const NSE_ZONE = 'Asia/Kolkata';

/**
 * RapidAPI "latest-stock-price" (NSE quotes). Rows are one JSON array; `identifier` is symbol +
 * series + suffix, so `RELIANCEEQN` is RELIANCE on series EQ. Index rows have `identifier == symbol`.
 */
export class LatestStockPriceProvider extends MarketDataProvider {
  readonly name = 'latest-stock-price' as const;
  /** latest-stock-price has no history endpoint: nothing to backfill from. */
  override readonly history = null;

  constructor(
    private readonly client: RapidApiClient,
    private readonly options: LatestStockPriceOptions,
  ) {
    super();
  }

  async fetch(signal?: AbortSignal): Promise<ProviderFetch> {
    const calls = this.options.indices.length
      ? this.options.indices.map((index) => () => this.client.get('/price', { Indices: index }, signal))
      : [() => this.client.get('/any', {}, signal)];
    const rows = new Map<string, unknown>();
    let rateLimit: RateLimit | null = null;
    let failure: UpstreamError | undefined;
    // one call at a time: the quota is counted per call and the answers are large
    for (const call of calls) {
      try {
        const answer = await call();
        rateLimit = answer.rateLimit ?? rateLimit;
        if (!Array.isArray(answer.body)) {
          throw new UpstreamError(this.name, 'bad_response', 'answer is not a JSON array of quotes', { rateLimit });
        }
        for (const row of answer.body) rows.set(rowKey(row), row);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        // the indices already fetched are kept; the rest waits for the next run
        failure = err;
        rateLimit = err.rateLimit ?? rateLimit;
        break;
      }
    }
    if (failure && rows.size === 0) throw failure;
    const wanted = this.options.symbols ? new Set(this.options.symbols) : null;
    const candidates = [...rows.values()]
      .map(toCandidate)
      .filter((c) => !wanted || (c.symbol != null && wanted.has(c.symbol)));
    return { candidates, rateLimit, failure };
  }
}

/** Index answers overlap (a stock is in several indices): one row per identifier. */
function rowKey(row: unknown): string {
  const r = (row ?? {}) as Record<string, unknown>;
  return JSON.stringify([r.identifier ?? r.symbol ?? null, r.lastUpdateTime ?? null, r.identifier ? null : row]);
}

export function toCandidate(row: unknown): QuoteCandidate {
  const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
  const symbol = typeof r.symbol === 'string' ? normaliseSymbol(r.symbol) : null;
  return {
    symbol,
    series: symbol ? seriesOf(symbol, r.identifier) : null,
    price: upstreamNumber(r.lastPrice),
    high: upstreamNumber(r.dayHigh),
    low: upstreamNumber(r.dayLow),
    quoteTime: parseNseTime(r.lastUpdateTime),
    source: 'latest-stock-price',
  };
}

/** `RELIANCEEQN` → `EQ`; an index (`identifier == symbol`) has no series. */
export function seriesOf(symbol: string, identifier: unknown): string | null {
  if (typeof identifier !== 'string') return null;
  const id = identifier.trim().toUpperCase();
  if (id === symbol || !id.startsWith(symbol)) return null;
  const rest = id.slice(symbol.length);
  const series = rest.length > 1 && rest.endsWith('N') ? rest.slice(0, -1) : rest;
  return /^[A-Z0-9]{1,8}$/.test(series) ? series : null;
}

// built once: DateTime.fromFormat builds this parser on every call, a tenth of an ingest run's CPU
// for 1,000 rows (`npm run bench`, ingest profile)
const NSE_TIME_PARSER = DateTime.buildFormatParser('d-LLL-yyyy H:mm:ss', { locale: 'en-US' });

/** `16-Sep-2024 15:59:47` (IST, no zone) → `2024-09-16T10:29:47.000Z`; `null` when unparsable. */
export function parseNseTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = DateTime.fromFormatParser(value.trim(), NSE_TIME_PARSER, { zone: NSE_ZONE, locale: 'en-US' });
  return time.isValid ? time.toUTC().toISO({ suppressMilliseconds: false }) : null;
}
