import { InjectConfig, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import { Counter, Registry } from 'prom-client';
import { CLOCK, systemClock, type Clock } from '../clock/clock';
import { buildCandles, type Candle } from './candles';
import { QuoteReader } from './quote-reader';

/** Closed days kept (one small object each: a few MiB at most). */
const CACHED_DAYS = 50_000;
/** How long a cached day is trusted: an on-demand backfill or a retention deletion shows within it. */
export const DAY_CACHE_TTL_MS = 15 * 60_000;
/** Days read at a time on a cold request. */
const PARALLEL_DAYS = 8;
/** Stored quotes read per local day at most (a minute feed has at most 1,440). */
const MAX_DAY_QUOTES = 20_000;
const DAY_MS = 86_400_000;

/**
 * `1d` candles, read day by day with each closed day's candle cached, so that a year of daily
 * candles over minute quotes (about 94,000 items) does not read every item on each request: a
 * warm request reads only the days that may still change. A day is cached only when the request
 * covers all of it and it ended longer ago than an automatic backfill looks back
 * (`BACKFILL_MAX_DAYS`, plus one), so no automatic pass can add a bar to a cached day; a bar an
 * operator backfills by hand into an older day, and history items that `HISTORY_RETENTION_DAYS`
 * expires, show once the entry is {@link DAY_CACHE_TTL_MS} old. The processor writes nothing
 * extra for it. Each day is read on its own, so the answer never stops at a read limit.
 */
@Injectable()
export class DailyCandles {
  private readonly cache = new LRUCache<string, { candle: Candle | null }>({ max: CACHED_DAYS, ttl: DAY_CACHE_TTL_MS });
  private readonly settledMs: number;
  private readonly lookups: Counter<'result'> | null;

  constructor(
    private readonly reader: QuoteReader,
    @InjectConfig() config: QuoteflowConfig,
    registry?: Registry,
    @Inject(CLOCK) private readonly now: Clock = systemClock,
  ) {
    this.settledMs = (config.backfill.maxDays + 1) * DAY_MS;
    this.lookups = registry
      ? new Counter({ name: 'quoteflow_candle_cache_days_total', help: 'Days of 1d candles served from the closed-day cache (hit) or read from the table (miss)', labelNames: ['result'], registers: [registry] })
      : null;
  }

  /** The `1d` candles of an instrument over `[from, to]` (ISO-8601 UTC, `to` inclusive), days starting at midnight in `zone`. */
  async between(symbol: string, series: string | null, zone: string, from: string, to: string): Promise<Candle[]> {
    const days: { key: string; from: string; to: string; whole: boolean }[] = [];
    const settled = this.now().getTime() - this.settledMs;
    for (let day = DateTime.fromISO(from, { zone }).startOf('day'); day.toMillis() <= Date.parse(to); day = day.plus({ days: 1 })) {
      const start = day.toMillis();
      const end = day.plus({ days: 1 }).toMillis() - 1;
      const whole = start >= Date.parse(from) && end <= Date.parse(to) && end < settled;
      days.push({ key: `${symbol}|${series ?? '-'}|${zone}|${day.toISODate()}`, from: iso(Math.max(start, Date.parse(from))), to: iso(Math.min(end, Date.parse(to))), whole });
    }
    const candles = new Array<Candle | null>(days.length);
    for (let next = 0; next < days.length; next += PARALLEL_DAYS) {
      await Promise.all(days.slice(next, next + PARALLEL_DAYS).map(async (day, i) => (candles[next + i] = await this.day(symbol, series, zone, day))));
    }
    return candles.filter((c): c is Candle => c !== null);
  }

  private async day(symbol: string, series: string | null, zone: string, day: { key: string; from: string; to: string; whole: boolean }): Promise<Candle | null> {
    const cached = day.whole ? this.cache.get(day.key) : undefined;
    if (cached) {
      this.lookups?.inc({ result: 'hit' });
      return cached.candle;
    }
    this.lookups?.inc({ result: 'miss' });
    const quotes = await this.reader.historyBetween(symbol, series, day.from, day.to, MAX_DAY_QUOTES);
    const candle = buildCandles(quotes, '1d', zone)[0] ?? null;
    if (day.whole) this.cache.set(day.key, { candle });
    return candle;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
