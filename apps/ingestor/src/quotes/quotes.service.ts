import { InjectConfig, QuoteTable, SOURCE_TIME_ZONES, QuoteflowError, type QuoteflowConfig, type StoredQuote } from '@app/common';
import { Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { schedulePeriodMs } from '../ingest/schedule-slot';
import { DailyCandles } from './daily-candles';
import { buildCandles, intervalMs, type Candle, type CandleInterval } from './candles';
import { QuoteReader, type HistoryRange, type Page } from './quote-reader';

/** Series an unqualified symbol means when several are stored: the regular market, else none. */
const PREFERRED_SERIES = ['EQ', QuoteTable.noSeries];
/** Latest reads are served from memory this long, so many viewers do not multiply table reads. */
export const LATEST_CACHE_MS = 2_000;
/** Most candles one request may ask for, and most quotes read to build them. */
export const MAX_CANDLES = 1_000;
const MAX_CANDLE_QUOTES = 50_000;
/** A quote older than this many schedule periods (plus a minute) is flagged `stale`. */
const STALE_PERIODS = 2;

export interface LatestQuote extends StoredQuote {
  /** Seconds between the quote's own time and now. */
  ageSeconds: number;
  /** Older than the schedule would explain (the feed stopped, or the market is closed). */
  stale: boolean;
}

/** The request cannot be answered as asked (e.g. too many candles); the message says why. */
export class QueryRangeError extends QuoteflowError {}

/** Read side of the API: picks the series a caller means, caches latest reads, builds candles. */
@Injectable()
export class QuotesService {
  private readonly cache = new LRUCache<string, StoredQuote[]>({ max: 5_000, ttl: LATEST_CACHE_MS });
  private readonly periodSeconds: number | null;

  private readonly daily: DailyCandles;

  constructor(
    private readonly reader: QuoteReader,
    @InjectConfig() config: QuoteflowConfig,
    @Optional() daily?: DailyCandles,
  ) {
    this.daily = daily ?? new DailyCandles(reader, config);
    this.periodSeconds = config.ingest.cron ? Math.round(schedulePeriodMs(config.ingest.cron) / 1000) : null;
  }

  /** Latest quote of the symbol, in `series` if given, else its preferred or most recent series. */
  async latest(symbol: string, series?: string): Promise<LatestQuote | null> {
    const quote = pickSeries(await this.latestBySeries(symbol), series);
    return quote ? this.withAge(quote) : null;
  }

  /**
   * Latest quote of each symbol that has one (unknown symbols are left out), in the order asked.
   * One BatchGetItem asks for the preferred series of every symbol; only symbols stored under
   * other series (coins, NSE `BE`, ...) cost a query of their own.
   */
  async latestOf(symbols: string[]): Promise<LatestQuote[]> {
    const wanted = [...new Set(symbols)];
    const batch = await this.reader.latestByKeys(
      wanted.flatMap((symbol) => PREFERRED_SERIES.map((s) => ({ symbol, series: s === QuoteTable.noSeries ? null : s }))),
    );
    const found = await Promise.all(
      wanted.map(async (symbol) => pickSeries(batch.filter((q) => q.symbol === symbol)) ?? pickSeries(await this.latestBySeries(symbol))),
    );
    return found.filter((q): q is StoredQuote => q !== null).map((q) => this.withAge(q));
  }

  /** `null` when nothing is stored for the symbol. */
  async history(
    symbol: string,
    query: { series?: string; from?: string; to?: string } & Pick<HistoryRange, 'limit' | 'cursor'>,
  ): Promise<Page<StoredQuote> | null> {
    const latest = await this.latest(symbol, query.series);
    if (!latest) return null;
    return this.reader.history(symbol, latest.series, { ...instants(query), limit: query.limit, cursor: query.cursor });
  }

  /**
   * Candles of one instrument over [from, to] (default: the 120 intervals up to its latest quote), in the
   * exchange's time zone. `null` when nothing is stored for the symbol.
   */
  async candles(
    symbol: string,
    query: { series?: string; interval: CandleInterval; from?: string; to?: string },
  ): Promise<{ symbol: string; series: string | null; source: string; interval: CandleInterval; timeZone: string; candles: Candle[] } | null> {
    const latest = await this.latest(symbol, query.series);
    if (!latest) return null;
    const step = intervalMs(query.interval);
    const to = query.to ? toInstant(query.to, 'end') : latest.quoteTime;
    const from = query.from ? toInstant(query.from, 'start') : new Date(Date.parse(to) - 120 * step).toISOString();
    if ((Date.parse(to) - Date.parse(from)) / step > MAX_CANDLES) {
      throw new QueryRangeError(`from..to spans more than ${MAX_CANDLES} ${query.interval} candles: narrow the range or widen the interval`);
    }
    const timeZone = SOURCE_TIME_ZONES[latest.source];
    if (query.interval === '1d') {
      const candles = Date.parse(from) <= Date.parse(to) ? await this.daily.between(symbol, latest.series, timeZone, from, to) : [];
      return { symbol, series: latest.series, source: latest.source, interval: query.interval, timeZone, candles };
    }
    // a `from` after the latest quote (no `to` given) is an empty range, not a query DynamoDB refuses
    const quotes = Date.parse(from) <= Date.parse(to) ? await this.reader.historyBetween(symbol, latest.series, from, to, MAX_CANDLE_QUOTES) : [];
    // the quote before the range tells whether the range's first quote moved the day's high/low
    const previous = quotes.length ? await this.reader.latestBefore(symbol, latest.series, from) : null;
    const candles = buildCandles(quotes, query.interval, timeZone, previous);
    return { symbol, series: latest.series, source: latest.source, interval: query.interval, timeZone, candles };
  }

  /**
   * The history export: the same quotes, order and range as {@link history}, as lazily read pages
   * (all of the range without `limit`). `null` when nothing is stored for the symbol.
   */
  async historyPages(
    symbol: string,
    query: { series?: string; from?: string; to?: string; limit?: number; cursor?: string },
  ): Promise<AsyncGenerator<StoredQuote[]> | null> {
    const latest = await this.latest(symbol, query.series);
    if (!latest) return null;
    return this.reader.historyPages(symbol, latest.series, { ...instants(query), limit: query.limit, cursor: query.cursor });
  }

  listLatest(range: Pick<HistoryRange, 'limit' | 'cursor'>): Promise<Page<StoredQuote>> {
    return this.reader.listLatest(range);
  }

  /** Every stored instrument with its series, source and last quote. */
  async symbols() {
    const cached = this.cache.get('*');
    const all = cached ?? (await this.reader.allLatest());
    if (!cached) this.cache.set('*', all);
    return all.map(({ symbol, series, source, quoteTime, price }) => ({ symbol, series, source, lastQuoteTime: quoteTime, lastPrice: price }));
  }

  private async latestBySeries(symbol: string): Promise<StoredQuote[]> {
    const cached = this.cache.get(symbol);
    if (cached) return cached;
    const fresh = await this.reader.latestBySeries(symbol);
    this.cache.set(symbol, fresh);
    return fresh;
  }

  private withAge(quote: StoredQuote): LatestQuote {
    const ageSeconds = Math.max(0, Math.round((Date.now() - Date.parse(quote.quoteTime)) / 1000));
    const stale = this.periodSeconds !== null && ageSeconds > STALE_PERIODS * this.periodSeconds + 60;
    return { ...quote, ageSeconds, stale };
  }
}

function pickSeries(all: StoredQuote[], series?: string): StoredQuote | null {
  if (series !== undefined) return all.find((q) => q.series === series) ?? null;
  return (
    all.find((q) => PREFERRED_SERIES.includes(q.series ?? QuoteTable.noSeries)) ??
    [...all].sort((a, b) => b.quoteTime.localeCompare(a.quoteTime))[0] ??
    null
  );
}

function instants(query: { from?: string; to?: string }): { from?: string; to?: string } {
  return { from: query.from ? toInstant(query.from, 'start') : undefined, to: query.to ? toInstant(query.to, 'end') : undefined };
}

/** `2024-09-16` means the whole UTC day: its start for `from`, its last millisecond for `to`. */
export function toInstant(value: string, edge: 'start' | 'end'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}
