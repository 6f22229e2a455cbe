import { InjectConfig, type JumpItem, type ProviderName, type Quote, type QuoteflowConfig, type SeenQuote } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { concat, defer, filter, from, mergeMap, type Observable, Subject } from 'rxjs';
import { CLOCK, type Clock } from '../clock/clock';
import type { StateSnapshot } from '../state/shared-state.store';
import { SharedState } from '../state/shared-state';
import { QualityBook, type QualityAlert, type QualityReport } from './quality-book';

export { MAX_SYMBOLS, type QualityAlert, type QualityAlertKind, type QualityReport, type InstrumentQuality } from './quality-book';

/**
 * Cross-provider quality over the shared table: each provider's last valid quotes live in its
 * `PROVIDER#<name>/LAST` item, whichever process ran it. A run judges its quotes against a book
 * loaded from the state it read at its start ({@link forRun}), and raises here what begins in it
 * (the SSE `event: alert`, the alerts counter); `/status` and the gauge judge a book loaded from
 * the table, so every process reports the same alerts.
 */
@Injectable()
export class QualityMonitor {
  private readonly raised$ = new Subject<QualityAlert>();

  constructor(
    @InjectConfig() private readonly config: QuoteflowConfig,
    private readonly state: SharedState,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  /** A book for one run: the last quotes of every source as `snapshot` holds them; what it raises is raised here. */
  forRun(snapshot: StateSnapshot): QualityBook {
    const book = this.loaded(snapshot);
    book.raised().subscribe((alert) => this.raised$.next(alert));
    return book;
  }

  /** The jumps a run's book holds on one source, for that source's item. */
  jumpsOf(book: QualityBook, source: ProviderName): JumpItem[] {
    return book.jumpsOf(source).map(({ symbol, series, bps, message, since }) => ({ symbol, series, bps, message, since }));
  }

  /** Each alert as a run of this process raises it. */
  raised(): Observable<QualityAlert> {
    return this.raised$.asObservable();
  }

  /** The alerts active now (from the table), then those this process raises; of the given symbols (all when empty). */
  alerts(symbols: string[] = []): Observable<QualityAlert> {
    const wanted = (a: QualityAlert) => symbols.length === 0 || symbols.includes(a.symbol);
    return concat(
      defer(() => from(this.report())).pipe(mergeMap((r) => r.alerts)),
      this.raised$,
    ).pipe(filter(wanted));
  }

  /** `/status` `quality`, from the table (read at most once a second). */
  async report(): Promise<QualityReport> {
    return this.loaded(await this.state.snapshot()).report();
  }

  private loaded(snapshot: StateSnapshot): QualityBook {
    const book = new QualityBook(this.config, this.now);
    for (const last of snapshot.last.values()) {
      for (const seen of last.quotes) book.load(quoteOf(last.provider, seen));
      for (const jump of last.jumps) book.loadJump({ kind: 'jump', sources: [last.provider], ...jump });
    }
    const observed = (source: ProviderName) => snapshot.last.get(source)?.observedAt ?? '';
    book.settle((sources) => sources.map(observed).sort().at(-1) ?? this.now().toISOString());
    return book;
  }
}

/** A provider's quote as its item keeps it. */
export function seenOf(quote: Quote): SeenQuote {
  return [quote.symbol, quote.series, quote.price, quote.high, quote.low, quote.quoteTime];
}

export function quoteOf(source: ProviderName, [symbol, series, price, high, low, quoteTime]: SeenQuote): Quote {
  return { symbol, series, price, high, low, quoteTime, source };
}

