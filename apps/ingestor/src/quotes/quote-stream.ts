import { InjectConfig, type QuoteflowConfig, type StoredQuote } from '@app/common';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { defer, EMPTY, filter, map, merge, Observable, share, Subject, switchMap, takeUntil, timer, catchError } from 'rxjs';
import { QualityMonitor, type QualityAlert } from '../quality/quality-monitor';
import { schedulePeriodMs } from '../ingest/schedule-slot';
import { LATEST_CACHE_MS, QuotesService } from './quotes.service';

/**
 * How often the latest quotes are read while someone listens: a sixth of the ingest period
 * (2-15 s; 5 s without a schedule). Each read is one Query per instrument (ADR 0006), so the
 * stream reads at the cadence quotes can arrive, never once a second per instrument.
 */
export function streamPollMs(cron: string | null): number {
  if (!cron) return 5_000;
  return Math.min(15_000, Math.max(LATEST_CACHE_MS, Math.round(schedulePeriodMs(cron) / 6)));
}

/**
 * Newly stored quotes, as a hot stream: while at least one client listens, the latest quotes are
 * read every {@link streamPollMs} (from the same single-flight cache as `GET /quotes`, shared by
 * all clients) and every instrument whose latest record changed is pushed. No extra
 * infrastructure is needed, locally or on AWS.
 */
@Injectable()
export class QuoteStream implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QuoteStream.name);
  private readonly shutdown$ = new Subject<void>();
  private readonly updates$: Observable<StoredQuote>;

  constructor(
    private readonly service: QuotesService,
    @InjectConfig() config: QuoteflowConfig,
    private readonly quality: QualityMonitor,
  ) {
    let seen: Map<string, string> | null = null;
    this.updates$ = timer(0, streamPollMs(config.ingest.cron)).pipe(
      // a slow read is never overlapped by the next one
      switchMap(() =>
        defer(() => this.service.allLatest()).pipe(
          catchError((err: Error) => {
            this.logger.warn(`live stream poll failed: ${err.message}`);
            return EMPTY;
          }),
        ),
      ),
      switchMap((latest) => {
        const changed: StoredQuote[] = [];
        const next = new Map(latest.map((q) => [`${q.symbol}|${q.series}`, `${q.quoteTime}|${q.insertedAt}`]));
        if (seen) for (const q of latest) if (seen.get(`${q.symbol}|${q.series}`) !== next.get(`${q.symbol}|${q.series}`)) changed.push(q);
        seen = next;
        return changed;
      }),
      takeUntil(this.shutdown$),
      // polling stops when the last client leaves and starts afresh (with a new baseline) for the next
      share({ resetOnRefCountZero: () => ((seen = null), timer(0)) }),
    );
  }

  /** Quotes stored from now on, of the given symbols (all when empty). */
  quotes(symbols: string[]): Observable<StoredQuote> {
    const wanted = new Set(symbols);
    return this.updates$.pipe(filter((q) => wanted.size === 0 || wanted.has(q.symbol)));
  }

  /** Ends every open stream, so that open connections do not hold the server's shutdown. */
  beforeApplicationShutdown(): void {
    this.shutdown$.next();
    this.shutdown$.complete();
  }

  /**
   * As server-sent events: `event: quote`, the stored quote as JSON data; and `event: alert`, a
   * cross-provider quality alert of the same symbols (those active when the client connects first).
   */
  events(symbols: string[]): Observable<{ type: string; data: StoredQuote | QualityAlert }> {
    const quotes = this.quotes(symbols).pipe(map((data) => ({ type: 'quote', data })));
    const alerts = this.quality.alerts(symbols).pipe(
      takeUntil(this.shutdown$),
      map((data) => ({ type: 'alert', data })),
    );
    return merge(quotes, alerts);
  }
}
