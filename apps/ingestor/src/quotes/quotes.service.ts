import { InjectConfig, QuoteTable, SOURCE_TIME_ZONES, QuoteflowError, type Instrument, type QuoteflowConfig, type StoredQuote } from '@app/common';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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

/** The answer of `GET /quotes/:symbol`, ready to send: the body is serialized once per stored version and second of age. */
export interface LatestAnswer {
  quote: LatestQuote;
  /** Weak ETag of the stored record: a poller gets 304 until a newer quote is stored. */
  etag: string;
  body: string;
}

/** Every instrument and its latest quote, read at most once per {@link LATEST_CACHE_MS}. */
interface Board {
  instruments: Instrument[];
  latest: StoredQuote[];
}

/**
 * lru-cache `fetch()` options shared by the latest caches: concurrent misses of one key share one
 * read (single flight), and an expired entry is served while one refresh runs, so a cache expiry
 * never sends every waiting request to DynamoDB at once. A failed read is an error for whoever
 * waits on it (never an empty answer): no `allowStaleOnFetchRejection`.
 */
const SINGLE_FLIGHT = { ttl: LATEST_CACHE_MS, allowStale: true, noDeleteOnStaleGet: true } as const;

/** Read side of the API: picks the series a caller means, caches latest reads, builds candles. */
@Injectable()
export class QuotesService {
  private readonly bySymbol = new LRUCache<string, { quotes: StoredQuote[] }>({
    max: 5_000,
    ...SINGLE_FLIGHT,
    fetchMethod: async (symbol) => ({ quotes: await this.reader.latestBySeries(symbol) }),
  });
  private readonly board = new LRUCache<'*', Board>({
    max: 1,
    ...SINGLE_FLIGHT,
    fetchMethod: async () => {
      const instruments = await this.reader.instruments();
      return { instruments, latest: await this.reader.latestOf(instruments) };
    },
  });
  /** Serialized answers per stored record (the record object itself is the key: a new read is a new version). */
  private readonly answers = new WeakMap<StoredQuote, { etag: string; second: number; body: string; quote: LatestQuote }>();
  private readonly periodSeconds: number | null;

  private readonly daily: DailyCandles;

  constructor(
    private readonly reader: QuoteReader,
    @InjectConfig() config: QuoteflowConfig,
    daily?: DailyCandles,
  ) {
    this.daily = daily ?? new DailyCandles(reader, config);
    this.periodSeconds = config.ingest.cron ? Math.round(schedulePeriodMs(config.ingest.cron) / 1000) : null;
  }

  /** Latest quote of the symbol, in `series` if given, else its preferred or most recent series. */
  async latest(symbol: string, series?: string): Promise<LatestQuote | null> {
    const quote = pickSeries(await this.latestBySeries(symbol), series);
    return quote ? this.withAge(quote) : null;
  }

  /** {@link latest} with its ETag and serialized body, each made once per stored record (and second of age, for the body). */
  async latestAnswer(symbol: string, series?: string): Promise<LatestAnswer | null> {
    const stored = pickSeries(await this.latestBySeries(symbol), series);
    if (!stored) return null;
    const second = Math.floor(Date.now() / 1000);
    let answer = this.answers.get(stored);
    if (!answer || answer.second !== second) {
      const etag = answer?.etag ?? `W/"${createHash('sha1').update(`${stored.symbol}|${stored.series}|${stored.quoteTime}|${stored.insertedAt}`).digest('base64url')}"`;
      const quote = this.withAge(stored);
      answer = { etag, second, quote, body: JSON.stringify(quote) };
      this.answers.set(stored, answer);
    }
    return { quote: answer.quote, etag: answer.etag, body: answer.body };
  }

  /** Latest quote of each symbol that has one (unknown symbols are left out), in the order asked. */
  async latestOf(symbols: string[]): Promise<LatestQuote[]> {
    const found = await Promise.all([...new Set(symbols)].map(async (symbol) => pickSeries(await this.latestBySeries(symbol))));
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

  /** Latest quote of every instrument, a page at a time (from the board: the registry and its latest quotes, single flight). */
  async listLatest(range: Pick<HistoryRange, 'limit' | 'cursor'>): Promise<Page<StoredQuote>> {
    const { instruments, latest } = await this.latestBoard();
    const byKey = new Map(latest.map((q) => [QuoteTable.instrumentKey(q.symbol, q.series).sk, q]));
    return this.reader.listLatest(range, instruments, (page) => page.flatMap((i) => byKey.get(QuoteTable.instrumentKey(i.symbol, i.series).sk) ?? []));
  }

  /** Every stored instrument with its series, source and last quote. */
  async symbols() {
    const { latest } = await this.latestBoard();
    return latest.map(({ symbol, series, source, quoteTime, price }) => ({ symbol, series, source, lastQuoteTime: quoteTime, lastPrice: price }));
  }

  /** Every instrument's latest quote, at most {@link LATEST_CACHE_MS} old (the live stream polls this). */
  async allLatest(): Promise<StoredQuote[]> {
    return (await this.latestBoard()).latest;
  }

  private async latestBoard(): Promise<Board> {
    const board = await this.board.fetch('*');
    if (!board) throw new QuoteflowError('latest quotes could not be read');
    return board;
  }

  private async latestBySeries(symbol: string): Promise<StoredQuote[]> {
    return (await this.bySymbol.fetch(symbol))?.quotes ?? [];
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
