import { BAR_INTERVAL_MS, type BarInterval, type ProviderName, type QuoteCandidate } from '@app/common';
import type { ProviderFetch, RateLimit } from '../market-data-provider';

/** One stored instrument: its symbol and series (the coin id for CoinGecko, `null` for US stocks). */
export interface Instrument {
  symbol: string;
  series: string | null;
}

export interface HistoryFetch extends ProviderFetch {
  /**
   * The part of the asked range this answer speaks for (ISO-8601 UTC, end exclusive): a minute in it
   * without a candidate had no trade (a halt, an illiquid stock), it is not a gap to fetch again.
   * `null` when the answer had no bars at all.
   */
  covered: { from: string; to: string } | null;
}

/**
 * A provider's history endpoint, for backfill. Candidates are labelled `origin: 'backfill'` with the
 * bar's interval: price = the bar's close, high/low = the bar's, quoteTime = the bar's start in UTC.
 * They go through the same validation, queue and idempotent writes as live quotes.
 */
export abstract class HistorySource {
  abstract readonly provider: ProviderName;
  /** Upstream calls one {@link historyOf} costs. */
  abstract readonly callsPerInstrument: number;
  /** How far back from now the endpoint serves bars of its interval. */
  abstract readonly lookbackMs: number;

  /** The bar length the endpoint answers a range with. */
  abstract intervalFor(from: Date, to: Date): BarInterval;

  /**
   * The bars that start in `[from, to)` and have ended by now, oldest first. Throws the call's
   * `UpstreamError` (a spent quota is `failure: 'quota'`, as on the live path); an unknown
   * instrument is a rejection, not an error.
   */
  abstract historyOf(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<HistoryFetch>;
}

/** One bar as read from an answer; prices already parsed (exactly, or `null`). */
export interface Bar {
  startMs: number;
  close: number | null;
  high: number | null;
  low: number | null;
}

/** Sorts an answer's bars into candidates, rejections and the covered span of the asked range. */
export class BarCollector {
  private readonly candidates: QuoteCandidate[] = [];
  private readonly rejections: { symbol: string | null; reason: string }[] = [];
  private earliest = Infinity;
  private latestEnd = -Infinity;
  private readonly ms: number;

  constructor(
    private readonly instrument: Instrument,
    private readonly source: ProviderName,
    private readonly interval: BarInterval,
    private readonly window: { from: Date; to: Date; now: Date },
    /** `samples`: prices at instants (CoinGecko), which have no high or low of their own. */
    private readonly kind: 'bars' | 'samples' = 'bars',
  ) {
    this.ms = BAR_INTERVAL_MS[interval];
  }

  /** Records that the answer has a bar (traded or not) starting then; `false` when it is outside the range or not over yet. */
  saw(startMs: number): boolean {
    const end = Math.min(startMs + this.ms, this.window.now.getTime());
    this.earliest = Math.min(this.earliest, startMs);
    this.latestEnd = Math.max(this.latestEnd, end);
    return startMs >= this.window.from.getTime() && startMs < this.window.to.getTime() && startMs + this.ms <= this.window.now.getTime();
  }

  /** A bar of the range; one with a close but no high or low is refused, the schema judges the rest. */
  add(bar: Bar): void {
    if (!this.saw(bar.startMs)) return;
    if (this.kind === 'bars' && bar.close !== null && (bar.high === null || bar.low === null)) return this.reject('missing_bar_range');
    this.candidates.push({
      symbol: this.instrument.symbol,
      series: this.instrument.series,
      price: bar.close,
      high: bar.high,
      low: bar.low,
      quoteTime: new Date(bar.startMs).toISOString(),
      source: this.source,
      origin: 'backfill',
      interval: this.interval,
    });
  }

  reject(reason: string): void {
    this.rejections.push({ symbol: this.instrument.symbol, reason });
  }

  result(rateLimit: RateLimit | null): HistoryFetch {
    const from = Math.max(this.window.from.getTime(), this.earliest);
    const to = Math.min(this.window.to.getTime(), this.latestEnd);
    return {
      candidates: [...this.candidates].sort((a, b) => String(a.quoteTime).localeCompare(String(b.quoteTime))),
      rejections: this.rejections,
      rateLimit,
      covered: from < to ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : null,
    };
  }
}
