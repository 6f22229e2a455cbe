import type { ProviderName, Quote, QuoteflowConfig } from '@app/common';
import { Logger } from '@nestjs/common';
import { concat, defer, filter, from, type Observable, Subject } from 'rxjs';
import type { Clock } from '../clock/clock';
import { compareSources, sameInstrument, type SourceComparison } from './instrument-quality';
import { divergenceBps, moveInDayRanges, oneDecimal } from './quality-math';

/**
 * Symbols whose last quotes are kept; past it the symbol seen least recently is forgotten. Far
 * above what a RapidAPI plan can fetch a minute, so it only bounds a misconfigured process.
 */
export const MAX_SYMBOLS = 5_000;

export type QualityAlertKind = 'jump' | 'divergence';

/** An outlier, as `/status`, the SSE `event: alert` and the dashboard show it. */
export interface QualityAlert {
  kind: QualityAlertKind;
  symbol: string;
  series: string | null;
  /** `divergence`: the sources far from the others; `jump`: the one source that jumped. */
  sources: ProviderName[];
  /** `divergence`: the largest source's distance from the others; `jump`: the move, both in bps of the mid (one decimal). */
  bps: number;
  /** In words, with the prices. */
  message: string;
  /** When the alert was raised (this process's clock). */
  since: string;
}

export interface InstrumentQuality {
  symbol: string;
  series: string | null;
  sources: SourceComparison[];
  divergenceBps: number;
  lagSeconds: number;
  alerts: QualityAlert[];
}

/** `/status` `quality`: the thresholds, every instrument quoted by two or more sources, every active alert. */
export interface QualityReport {
  thresholds: QuoteflowConfig['quality'];
  instruments: InstrumentQuality[];
  alerts: QualityAlert[];
}

/**
 * Compares what the providers quote for the same instrument and flags outliers: a source's price
 * jumping further than the day range explains, or a source far from the others. It only watches:
 * every quote is published as it came, flagged or not. One book holds the last quotes it was given
 * (`QualityMonitor` loads one from the shared table per run and per `/status` read), bounded by
 * {@link MAX_SYMBOLS}.
 */
export class QualityBook {
  private readonly logger = new Logger('QualityMonitor');
  /** symbol → `source|series` → the last valid quote; Map order = least recently seen first. */
  private readonly last = new Map<string, Map<string, Quote>>();
  private readonly active = new Map<string, QualityAlert>();
  private readonly raised$ = new Subject<QualityAlert>();
  private readonly now: Clock;

  constructor(
    private readonly config: QuoteflowConfig,
    now: Clock,
  ) {
    this.now = now;
  }

  /** A quote seen before (another process's, or an earlier run's): kept as the source's last, judged by nothing. */
  load(quote: Quote): void {
    const quotes = this.symbolQuotes(quote.symbol);
    const key = `${quote.source}|${quote.series ?? ''}`;
    const previous = quotes.get(key);
    if (!previous || previous.quoteTime < quote.quoteTime) quotes.set(key, quote);
  }

  /** A jump raised before, still active: shown, not raised again. */
  loadJump(alert: QualityAlert): void {
    this.active.set(`jump|${alert.symbol}|${alert.series ?? ''}|${alert.sources[0]}`, alert);
  }

  /**
   * After loading: the divergences the loaded quotes show, active without being raised (they were
   * raised when they began); `since` says when the quotes that show one were seen.
   */
  settle(sinceOf: (sources: ProviderName[]) => string): void {
    for (const [symbol, quotes] of this.last) this.judgeDivergence(symbol, [...quotes.values()], sinceOf);
  }

  /** The jump alerts active on one source's quotes. */
  jumpsOf(source: ProviderName): QualityAlert[] {
    return [...this.active.values()].filter((a) => a.kind === 'jump' && a.sources[0] === source);
  }

  /** One valid quote of one provider. A quote older than the source's last one, or the same again, changes nothing. */
  observe(quote: Quote): void {
    if (quote.origin === 'backfill') return;
    const quotes = this.symbolQuotes(quote.symbol);
    const key = `${quote.source}|${quote.series ?? ''}`;
    const previous = quotes.get(key);
    if (previous && previous.quoteTime >= quote.quoteTime) return;
    quotes.set(key, quote);
    if (previous) this.judgeJump(previous, quote);
    this.judgeDivergence(quote.symbol, [...quotes.values()]);
  }

  /** Each alert as it is raised (a jump on every jumping quote, a divergence when it begins). */
  raised(): Observable<QualityAlert> {
    return this.raised$.asObservable();
  }

  /** The alerts active now, then those raised from now on; of the given symbols (all when empty). */
  alerts(symbols: string[] = []): Observable<QualityAlert> {
    const wanted = (a: QualityAlert) => symbols.length === 0 || symbols.includes(a.symbol);
    return concat(
      defer(() => from([...this.active.values()])),
      this.raised$,
    ).pipe(filter(wanted));
  }

  report(): QualityReport {
    const instruments: InstrumentQuality[] = [];
    for (const quotes of this.last.values()) {
      for (const instrument of sameInstrument([...quotes.values()])) {
        const comparison = compareSources(instrument.quotes, this.config.quality.divergenceBps);
        if (!comparison) continue;
        const { symbol, series } = instrument;
        instruments.push({
          symbol,
          series,
          sources: comparison.sources.map((s) => ({ ...s, divergenceBps: oneDecimal(s.divergenceBps) })),
          divergenceBps: oneDecimal(comparison.divergenceBps),
          lagSeconds: comparison.lagSeconds,
          alerts: [...this.active.values()].filter((a) => a.symbol === symbol && (series === null || a.series === null || a.series === series)),
        });
      }
    }
    return { thresholds: this.config.quality, instruments, alerts: [...this.active.values()] };
  }

  /** The symbol's last quotes, marked as seen most recently; forgets the least recent symbol past the bound. */
  private symbolQuotes(symbol: string): Map<string, Quote> {
    const quotes = this.last.get(symbol) ?? new Map<string, Quote>();
    this.last.delete(symbol);
    this.last.set(symbol, quotes);
    if (this.last.size > MAX_SYMBOLS) {
      const [oldest] = this.last.keys();
      this.last.delete(oldest);
      for (const [key, alert] of this.active) if (alert.symbol === oldest) this.active.delete(key);
    }
    return quotes;
  }

  /** Every jump is an event of its own: raised again on each quote that jumps, cleared by the source's next quote that does not. */
  private judgeJump(previous: Quote, quote: Quote): void {
    const key = `jump|${quote.symbol}|${quote.series ?? ''}|${quote.source}`;
    const ranges = moveInDayRanges(previous.price, quote.price, quote.high, quote.low);
    if (ranges === null || ranges <= this.config.quality.jumpDayRanges) {
      this.active.delete(key);
      return;
    }
    this.raise(key, {
      kind: 'jump',
      symbol: quote.symbol,
      series: quote.series,
      sources: [quote.source],
      bps: oneDecimal(divergenceBps(previous.price, quote.price)),
      message: `${quote.source} moved ${previous.price} → ${quote.price}: ${oneDecimal(ranges)} day ranges (${quote.low}–${quote.high})`,
      since: this.now().toISOString(),
    });
  }

  /** A divergence stays one alert while it lasts (its figures follow the prices) and is cleared when the sources agree again. */
  private judgeDivergence(symbol: string, quotes: Quote[], settling?: (sources: ProviderName[]) => string): void {
    const current = new Set<string>();
    for (const instrument of sameInstrument(quotes)) {
      const comparison = compareSources(instrument.quotes, this.config.quality.divergenceBps);
      if (!comparison?.outliers.length) continue;
      const key = `divergence|${symbol}|${instrument.series ?? ''}`;
      current.add(key);
      const prices = comparison.sources.map((s) => `${s.source} ${s.price}`).join(' vs ');
      const alert: QualityAlert = {
        kind: 'divergence',
        symbol,
        series: instrument.series,
        sources: comparison.outliers,
        bps: oneDecimal(comparison.divergenceBps),
        message: `${prices}: ${oneDecimal(comparison.divergenceBps)} bps apart (lag ${comparison.lagSeconds} s)`,
        since: this.active.get(key)?.since ?? (settling ? settling(comparison.sources.map((c) => c.source)) : this.now().toISOString()),
      };
      if (this.active.has(key) || settling) this.active.set(key, alert);
      else this.raise(key, alert);
    }
    for (const [key, alert] of this.active) if (alert.kind === 'divergence' && alert.symbol === symbol && !current.has(key)) this.active.delete(key);
  }

  private raise(key: string, alert: QualityAlert): void {
    this.active.set(key, alert);
    this.logger.warn(`quality ${alert.kind} on ${alert.symbol}${alert.series ? ` ${alert.series}` : ''}: ${alert.message}`);
    this.raised$.next(alert);
  }
}
