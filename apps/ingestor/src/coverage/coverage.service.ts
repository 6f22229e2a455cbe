import {
  describeSchedule,
  exchangeCalendar,
  InjectConfig,
  QuoteflowError,
  RunLogTable,
  scheduleZone,
  tradingSessionsOn,
  type ExchangeId,
  type MarketSchedule,
  type ProviderName,
  type QuoteflowConfig,
  type TradingSession,
  DAY_MS,
  MINUTE_MS,
} from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { providerSchedule } from '../market-data/provider-schedule';
import { QuotesService } from '../quotes/quotes.service';
import { assessCoverage, indexRuns, type CoverageCounts, type Gap, type IndexedRun } from './coverage-rule';
import { expectedBuckets, isLocalDate, lastTradingDay, localDate, SETTLE_MS, startOfLocalDate } from './expected-minutes';
import { QuoteTimes } from './quote-times';
import { SharedStateStore } from '../state/shared-state.store';

/** One stored instrument, as the latest item names it. */
export interface Instrument {
  symbol: string;
  series: string | null;
  source: ProviderName;
}

/** `GET /quotes/:symbol/coverage`: how completely one trading day of an instrument is stored. */
export interface CoverageReport extends CoverageCounts {
  symbol: string;
  series: string | null;
  source: ProviderName;
  /** The exchange-local date (YYYY-MM-DD in `timeZone`). */
  date: string;
  /** The exchange whose calendar gave the sessions; `null` for a custom window or a market that never closes. */
  exchange: ExchangeId | null;
  timeZone: string;
  schedule: string;
  sessions: TradingSession[];
  /** Every expected minute of the day has been judged (a day in progress counts only its past minutes). */
  complete: boolean;
  /** The exchange's holiday on that date, if any. */
  holiday: string | null;
  /** Set when the date is outside the calendar's years and weekdays were assumed. */
  note?: string;
  /**
   * Set when the instrument's first stored quote falls after the day's first expected minute: the
   * minutes before it are not expected (nothing was collected yet, so nothing is missing), and the
   * report says from when it counts.
   */
  countedFrom?: { at: string; why: string };
}

/** The date asked for is not a date. */
export class CoverageDateError extends QuoteflowError {
  constructor(date: string) {
    super(`date must be a calendar date written YYYY-MM-DD (exchange-local), got "${date}"`);
  }
}

/** Runs already read during one pass (the `/status` summary reads each day's runs once for all instruments). */
export type RunCache = Map<string, Promise<IndexedRun[]>>;

/** The completeness report: expected minutes from the schedule and the calendar, judged against stored quotes and run records. */
@Injectable()
export class CoverageService {
  private readonly now: Clock;
  private readonly firsts = new Map<string, string>();

  constructor(
    private readonly quotes: QuotesService,
    private readonly times: QuoteTimes,
    private readonly runLog: SharedStateStore,
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Inject(CLOCK) now: Clock,
  ) {
    this.now = now;
  }

  /** The report of a symbol (its `series`, else the one the API means without it); `null` when nothing is stored. */
  async forSymbol(symbol: string, query: { series?: string; date?: string }): Promise<CoverageReport | null> {
    if (query.date !== undefined && !isLocalDate(query.date)) throw new CoverageDateError(query.date);
    const latest = await this.quotes.latest(symbol, query.series);
    return latest ? this.forInstrument(latest, query.date) : null;
  }

  /** `date` defaults to the instrument's last trading day (today once its session has begun). */
  async forInstrument(instrument: Instrument, date?: string, cache: RunCache = new Map()): Promise<CoverageReport> {
    const schedule = providerSchedule(this.config, instrument.source);
    const day = date ?? lastTradingDay(schedule, this.now()) ?? localDate(schedule, this.now());
    const first = await this.firstQuote(instrument);
    const { counts, sessions, complete, clippedAt } = await this.assessDay(instrument, schedule, day, cache, { from: first });
    return {
      symbol: instrument.symbol,
      series: instrument.series,
      source: instrument.source,
      date: day,
      exchange: exchangeOf(schedule),
      timeZone: scheduleZone(schedule),
      schedule: describeSchedule(schedule),
      sessions,
      ...counts,
      complete,
      ...dayNotes(schedule, day),
      ...(clippedAt !== null ? { countedFrom: { at: new Date(clippedAt).toISOString(), why: `first stored quote of ${instrument.symbol} (${first})` } } : {}),
    };
  }

  /**
   * The instrument's first stored quote, kept once known: it only ever moves earlier (a backfill
   * of older minutes), so a kept value can only leave a few early minutes out of the report.
   */
  private async firstQuote(instrument: Instrument): Promise<string | null> {
    const key = RunLogTable.instrumentKey(instrument.symbol, instrument.series);
    const known = this.firsts.get(key);
    if (known) return known;
    const first = await this.times.first(instrument.symbol, instrument.series);
    if (first) this.firsts.set(key, first);
    return first;
  }

  /**
   * For backfill: the gaps of an instrument in `[from, to)` (epoch ms), day by day, leaving out the
   * minutes a run of its provider got an answer in (their quotes may be in the queue still), and
   * the instant up to which every expected minute has been judged. A minute is judged as soon as
   * it is over: the run record, not a settling time, tells that its quote is on the way.
   */
  async gapsBetween(instrument: Instrument, from: number, to: number, cache: RunCache = new Map()): Promise<{ gaps: Gap[]; judgedUntil: number }> {
    const schedule = providerSchedule(this.config, instrument.source);
    const gaps: Gap[] = [];
    let judgedUntil = from;
    for (let day = localDate(schedule, new Date(from)); startOfLocalDate(schedule, day) < to; day = nextDate(day)) {
      const assessed = await this.assessDay(instrument, schedule, day, cache, { answeredBy: instrument.source, settleMs: 0 });
      gaps.push(...clipGaps(assessed.counts.gaps, from, to));
      judgedUntil = Math.min(to, assessed.complete ? startOfLocalDate(schedule, nextDate(day)) : assessed.judgedUntil);
      if (!assessed.complete) break;
    }
    return { gaps, judgedUntil: Math.max(from, judgedUntil) };
  }

  /** The rule applied to one local date; `answeredBy` as in `CoverageInput`, `settleMs` how long a minute must be over to be judged. */
  private async assessDay(
    instrument: Instrument,
    schedule: MarketSchedule,
    day: string,
    cache: RunCache,
    { answeredBy, settleMs = SETTLE_MS, from = null }: { answeredBy?: string; settleMs?: number; from?: string | null } = {},
  ) {
    const now = this.now();
    const sessions = tradingSessionsOn(schedule, day);
    const all = expectedBuckets(this.config.ingest.cron, sessions);
    // `from`: the first stored quote; the minute that holds it is expected, those before are not
    const fromMs = from === null ? null : Date.parse(from);
    const buckets = fromMs === null ? all : all.filter((b) => b.end > fromMs);
    const clippedAt = buckets.length < all.length ? (buckets[0]?.start ?? fromMs) : null;
    const judged = buckets.filter((b) => b.end + settleMs <= now.getTime());
    const dayStart = startOfLocalDate(schedule, day);
    let counts = assessCoverage({ buckets: [], storedTimes: [], instrument: '', runs: [], dayStart });
    const judgedUntil = judged.length ? judged[judged.length - 1].end : dayStart;
    if (judged.length) {
      const [storedTimes, runs] = await Promise.all([
        this.times.between(instrument.symbol, instrument.series, new Date(dayStart).toISOString(), new Date(judgedUntil).toISOString()),
        this.runsBetween(judged[0].start, judgedUntil, cache),
      ]);
      const key = RunLogTable.instrumentKey(instrument.symbol, instrument.series);
      counts = assessCoverage({ buckets: judged, storedTimes, instrument: key, runs, dayStart, answeredBy });
    }
    return { counts, sessions, complete: judged.length === buckets.length, judgedUntil, clippedAt };
  }

  private runsBetween(from: number, to: number, cache: RunCache): Promise<IndexedRun[]> {
    const key = `${from}|${to}`;
    let runs = cache.get(key);
    if (!runs) {
      runs = this.runLog.runsBetween(from, to).then(indexRuns);
      cache.set(key, runs);
    }
    return runs;
  }
}

/** The gaps' parts within `[from, to)`. */
function clipGaps(gaps: Gap[], from: number, to: number): Gap[] {
  return gaps.flatMap((g) => {
    const start = Math.max(from, Date.parse(g.from));
    const end = Math.min(to, Date.parse(g.to));
    return start < end ? [{ from: new Date(start).toISOString(), to: new Date(end).toISOString(), minutes: (end - start) / MINUTE_MS }] : [];
  });
}

/** The calendar date after `date` (YYYY-MM-DD). */
function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function exchangeOf(schedule: MarketSchedule): ExchangeId | null {
  return typeof schedule === 'string' && schedule !== 'always' ? schedule : null;
}

function dayNotes(schedule: MarketSchedule, date: string): { holiday: string | null; note?: string } {
  const exchange = exchangeOf(schedule);
  if (!exchange) return { holiday: null };
  const calendar = exchangeCalendar(exchange);
  const day = calendar.day(date);
  return { holiday: day.holidayName ?? null, ...(day.calendarKnown ? {} : { note: calendar.fallbackNote([Number(date.slice(0, 4))]) }) };
}
