import {
  checkQuote,
  encodeQuoteMessage,
  InjectConfig,
  isMarketOpen,
  QuoteflowError,
  type MarketHours,
  type ProviderName,
  type Quote,
  type QuoteflowConfig,
} from '@app/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MARKET_DATA_PROVIDERS, MarketDataProvider, type ProviderFetch, type RateLimit } from '../market-data/market-data-provider';
import { UpstreamError, type UpstreamFailure } from '../market-data/upstream.error';
import { ProviderGates } from './provider-gates';
import { QuoteQueue } from './quote-queue';

export type RunTrigger = 'cron' | 'manual' | 'startup';

/** What one ingest run did; `POST /ingest/trigger` answers with it. */
export interface RunSummary {
  runId: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
  /**
   * `ok`: every provider called answered and every valid quote was published; `partial`: some did;
   * `failed`: nothing was fetched or published; `skipped`: no provider was called (market closed,
   * quota pause, rejected key).
   */
  outcome: 'ok' | 'partial' | 'failed' | 'skipped';
  /** Upstream rows seen (after the SYMBOLS filter). */
  fetched: number;
  published: number;
  /** Rows refused by validation or by the provider, in total and by reason. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Valid rows whose quote time has not changed since they were last published. */
  stale: number;
  /** Valid quotes that could not be published. */
  unpublished: number;
  errors: RunError[];
  skipped: { provider: ProviderName; reason: string }[];
}

export interface RunError {
  provider: ProviderName | 'queue';
  /** What kind of failure, for callers that react to it (e.g. 429 on `quota`). */
  failure: UpstreamFailure | 'queue' | 'unexpected';
  message: string;
}

/** A run was requested while one is still going. */
export class RunInProgressError extends QuoteflowError {
  constructor(readonly runId: string) {
    super(`ingest run ${runId} is still in progress`);
  }
}

/** Injection token of the clock (tests move time). */
export const CLOCK = Symbol('CLOCK');
const RECENT_RUNS = 20;

/**
 * The one ingest path, behind the cron, `POST /ingest/trigger` and the Lambda schedule handler:
 * every provider that may be called → validate each row → publish new quotes → a run summary.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private current: { runId: string; startedAt: string } | null = null;
  private readonly recent: RunSummary[] = [];
  private lastSuccessAt: string | null = null;
  private readonly rateLimits = new Map<ProviderName, RateLimit>();
  private readonly gates = new ProviderGates();
  /** Last published quote time per instrument, so an unchanged row is not published again. */
  private readonly lastPublished = new Map<string, string>();
  private readonly now: () => Date;

  constructor(
    @Inject(MARKET_DATA_PROVIDERS) private readonly providers: MarketDataProvider[],
    private readonly queue: QuoteQueue,
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Optional() @Inject(CLOCK) now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  /** Runs once now; two runs never overlap in one process. */
  async run(trigger: RunTrigger): Promise<RunSummary> {
    if (this.current) throw new RunInProgressError(this.current.runId);
    const run = { runId: randomUUID(), startedAt: this.now().toISOString() };
    this.current = run;
    try {
      const summary = await this.execute(trigger, run.runId, run.startedAt);
      this.recent.unshift(summary);
      this.recent.length = Math.min(this.recent.length, RECENT_RUNS);
      if (summary.outcome === 'ok') this.lastSuccessAt = summary.finishedAt;
      return summary;
    } finally {
      this.current = null;
    }
  }

  state() {
    const now = this.now();
    return {
      running: this.current,
      lastRun: this.recent[0] ?? null,
      lastSuccessAt: this.lastSuccessAt,
      providers: this.providers.map((p) => {
        const hours = this.hoursOf(p);
        return {
          name: p.name,
          marketHours: hours?.text ?? 'always',
          marketOpen: hours ? isMarketOpen(hours, now) : true,
          blocked: this.gates.snapshot()[p.name] ?? null,
          rateLimit: this.rateLimits.get(p.name) ?? null,
        };
      }),
      rateLimits: Object.fromEntries(this.rateLimits),
      recentRuns: this.recent.map(({ runId, trigger, startedAt, outcome, fetched, published, rejected, stale, errors, skipped }) => ({
        runId,
        trigger,
        startedAt,
        outcome,
        fetched,
        published,
        rejected,
        stale,
        errors: errors.map((e) => e.message),
        skipped: skipped.map((s) => `${s.provider}: ${s.reason}`),
      })),
    };
  }

  /** Seconds until the soonest quota pause of the configured providers ends, `null` if none is known. */
  retryAfterSeconds(): number | null {
    const now = this.now().getTime();
    const waits = Object.values(this.gates.snapshot())
      .filter((g) => g.reason === 'quota' && g.until)
      .map((g) => Math.max(1, Math.ceil((Date.parse(g.until!) - now) / 1000)));
    return waits.length ? Math.min(...waits) : null;
  }

  private hoursOf(provider: MarketDataProvider): MarketHours | null {
    const setting = this.config.ingest.marketHours;
    if (setting === 'always') return null;
    return setting === 'auto' ? provider.marketHours : setting;
  }

  /** Providers to call in this run, and why the others are left out. */
  private select(trigger: RunTrigger): { callable: MarketDataProvider[]; skipped: RunSummary['skipped'] } {
    const now = this.now();
    const manual = trigger === 'manual';
    const callable: MarketDataProvider[] = [];
    const skipped: RunSummary['skipped'] = [];
    for (const provider of this.providers) {
      const hours = this.hoursOf(provider);
      const gate = this.gates.blocked(provider.name, now, manual);
      if (gate) {
        skipped.push({
          provider: provider.name,
          reason: gate.reason === 'quota' ? `quota exhausted, paused until ${gate.until}` : `stopped after: ${gate.message}`,
        });
      } else if (!manual && hours && !isMarketOpen(hours, now)) {
        skipped.push({ provider: provider.name, reason: `market closed (${hours.text})` });
      } else {
        callable.push(provider);
      }
    }
    return { callable, skipped };
  }

  private async execute(trigger: RunTrigger, runId: string, startedAt: string): Promise<RunSummary> {
    const { callable, skipped } = this.select(trigger);
    const errors: RunError[] = [];
    const rejectedByReason: Record<string, number> = {};
    const reject = (reason: string) => (rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1);
    const quotes = new Map<string, Quote>();
    let fetched = 0;
    let stale = 0;

    // providers are independent: one failing never stops the others; all share the run's budget
    const budget = AbortSignal.timeout(this.config.ingest.budgetMs);
    const answers = await Promise.allSettled(callable.map((p) => p.fetch(budget)));
    answers.forEach((answer, i) => {
      const provider = callable[i].name;
      const result: ProviderFetch | null = answer.status === 'fulfilled' ? answer.value : null;
      const failure: unknown = answer.status === 'rejected' ? answer.reason : result?.failure;
      const rateLimit = result?.rateLimit ?? (failure instanceof UpstreamError ? failure.rateLimit : null);
      if (rateLimit) this.rateLimits.set(provider, rateLimit);
      if (failure) {
        if (failure instanceof UpstreamError) this.gates.failed(provider, failure, this.now());
        errors.push({
          provider,
          failure: failure instanceof UpstreamError ? failure.failure : 'unexpected',
          message: failure instanceof Error ? failure.message : String(failure),
        });
      } else {
        this.gates.succeeded(provider);
      }
      if (!result) return;
      fetched += result.candidates.length + (result.rejections?.length ?? 0);
      result.rejections?.forEach((r) => reject(r.reason));
      for (const candidate of result.candidates) {
        const check = checkQuote(candidate);
        if (!check.ok) {
          reject(check.reason);
          continue;
        }
        const key = instrumentKey(check.quote);
        if (this.lastPublished.get(key) === check.quote.quoteTime) stale++;
        else quotes.set(key, check.quote);
      }
    });

    const fetchedAt = this.now().toISOString();
    const fresh = [...quotes.values()];
    const { published, failed } = await this.queue.publish(fresh.map((q) => encodeQuoteMessage(q, runId, fetchedAt)));
    if (failed) errors.push({ provider: 'queue', failure: 'queue', message: `${failed} quote(s) could not be published to SQS` });
    else fresh.forEach((q) => this.lastPublished.set(instrumentKey(q), q.quoteTime));

    const rejected = Object.values(rejectedByReason).reduce((a, b) => a + b, 0);
    const upstreamFailures = errors.filter((e) => e.provider !== 'queue').length;
    const summary: RunSummary = {
      runId,
      trigger,
      startedAt,
      finishedAt: this.now().toISOString(),
      outcome:
        callable.length === 0
          ? 'skipped'
          : (upstreamFailures === callable.length && fetched === 0) || (fresh.length > 0 && published === 0)
            ? 'failed'
            : errors.length || skipped.length
              ? 'partial'
              : 'ok',
      fetched,
      published,
      rejected,
      rejectedByReason,
      stale,
      unpublished: failed,
      errors,
      skipped,
    };
    this.report(summary);
    return summary;
  }

  /** One log line per run, rejections summarised by reason rather than one line per row. */
  private report(s: RunSummary): void {
    const reasons = Object.entries(s.rejectedByReason)
      .map(([reason, n]) => `${reason}=${n}`)
      .join(' ');
    const line =
      `run ${s.runId} (${s.trigger}) ${s.outcome}: fetched=${s.fetched} published=${s.published} ` +
      `stale=${s.stale} rejected=${s.rejected}${reasons ? ` [${reasons}]` : ''}`;
    const notes = [...s.errors.map((e) => e.message), ...s.skipped.map((k) => `${k.provider} skipped: ${k.reason}`)];
    if (s.outcome === 'ok') this.logger.log(line);
    else if (s.outcome === 'skipped' && s.errors.length === 0) this.logger.debug(`${line}; ${notes.join('; ')}`);
    else this.logger.warn(`${line}; ${notes.join('; ')}`);
  }
}

function instrumentKey(q: Quote): string {
  return `${q.source}|${q.symbol}|${q.series ?? ''}`;
}
