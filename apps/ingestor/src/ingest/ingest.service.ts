import { checkQuote, encodeQuoteMessage, QuoteflowError, type ProviderName, type Quote } from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MARKET_DATA_PROVIDERS, MarketDataProvider, type RateLimit } from '../market-data/market-data-provider';
import { UpstreamError, type UpstreamFailure } from '../market-data/upstream.error';
import { QuoteQueue } from './quote-queue';

export type RunTrigger = 'cron' | 'manual' | 'startup';

/** What one ingest run did; `POST /ingest/trigger` answers with it. */
export interface RunSummary {
  runId: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
  /** `ok`: every provider answered and every valid quote was published. */
  outcome: 'ok' | 'partial' | 'failed';
  /** Upstream rows seen (after the SYMBOLS filter). */
  fetched: number;
  published: number;
  /** Rows that failed validation, in total and by reason. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Valid quotes that could not be published. */
  unpublished: number;
  errors: RunError[];
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

/** A run in which no provider answered or SQS took none of the quotes (the Lambda schedule handler fails with it). */
export class IngestRunFailedError extends QuoteflowError {
  constructor(readonly summary: RunSummary) {
    super(`ingest run ${summary.runId} failed: ${summary.errors.map((e) => e.message).join('; ')}`);
  }
}

/**
 * The one ingest path, behind the cron, `POST /ingest/trigger` and the Lambda schedule handler:
 * every provider → validate each row → publish valid quotes to SQS → a run summary.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private current: { runId: string; startedAt: string } | null = null;
  private last: RunSummary | null = null;
  private lastSuccessAt: string | null = null;
  private readonly rateLimits = new Map<ProviderName, RateLimit>();

  constructor(
    @Inject(MARKET_DATA_PROVIDERS) private readonly providers: MarketDataProvider[],
    private readonly queue: QuoteQueue,
  ) {}

  /** Runs once now; two runs never overlap in one process. */
  async run(trigger: RunTrigger): Promise<RunSummary> {
    if (this.current) throw new RunInProgressError(this.current.runId);
    const run = { runId: randomUUID(), startedAt: new Date().toISOString() };
    this.current = run;
    try {
      const summary = await this.execute(trigger, run.runId, run.startedAt);
      this.last = summary;
      if (summary.outcome === 'ok') this.lastSuccessAt = summary.finishedAt;
      return summary;
    } finally {
      this.current = null;
    }
  }

  state() {
    return {
      running: this.current,
      lastRun: this.last,
      lastSuccessAt: this.lastSuccessAt,
      providers: this.providers.map((p) => p.name),
      rateLimits: Object.fromEntries(this.rateLimits),
    };
  }

  /** Seconds until the soonest known quota reset of the configured providers, `null` if none is known. */
  retryAfterSeconds(): number | null {
    const waits = [...this.rateLimits.values()]
      .filter((r) => r.resetSeconds !== null)
      .map((r) => Math.max(0, Math.ceil(r.resetSeconds! - (Date.now() - Date.parse(r.observedAt)) / 1000)));
    return waits.length ? Math.min(...waits) : null;
  }

  private async execute(trigger: RunTrigger, runId: string, startedAt: string): Promise<RunSummary> {
    const errors: RunSummary['errors'] = [];
    const rejectedByReason: Record<string, number> = {};
    const quotes = new Map<string, Quote>();
    let fetched = 0;

    // providers are independent: one failing never stops the others
    const answers = await Promise.allSettled(this.providers.map((p) => p.fetch()));
    answers.forEach((answer, i) => {
      const provider = this.providers[i].name;
      if (answer.status === 'rejected') {
        const err: unknown = answer.reason;
        if (err instanceof UpstreamError && err.rateLimit) this.rateLimits.set(provider, err.rateLimit);
        errors.push({ provider, failure: err instanceof UpstreamError ? err.failure : 'unexpected', message: errorText(err) });
        return;
      }
      if (answer.value.rateLimit) this.rateLimits.set(provider, answer.value.rateLimit);
      fetched += answer.value.candidates.length;
      for (const candidate of answer.value.candidates) {
        const check = checkQuote(candidate);
        if (!check.ok) {
          rejectedByReason[check.reason] = (rejectedByReason[check.reason] ?? 0) + 1;
          continue;
        }
        const { symbol, series, quoteTime } = check.quote;
        quotes.set(JSON.stringify([symbol, series, quoteTime]), check.quote);
      }
    });

    const fetchedAt = new Date().toISOString();
    const bodies = [...quotes.values()].map((q) => encodeQuoteMessage(q, runId, fetchedAt));
    const { published, failed } = await this.queue.publish(bodies);
    if (failed) errors.push({ provider: 'queue', failure: 'queue', message: `${failed} quote(s) could not be published to SQS` });

    const rejected = Object.values(rejectedByReason).reduce((a, b) => a + b, 0);
    const allProvidersFailed = errors.filter((e) => e.provider !== 'queue').length === this.providers.length;
    const summary: RunSummary = {
      runId,
      trigger,
      startedAt,
      finishedAt: new Date().toISOString(),
      outcome: allProvidersFailed || (bodies.length > 0 && published === 0) ? 'failed' : errors.length ? 'partial' : 'ok',
      fetched,
      published,
      rejected,
      rejectedByReason,
      unpublished: failed,
      errors,
    };
    this.report(summary);
    return summary;
  }

  /** One log line per run, rejections summarised by reason rather than one line per row. */
  private report(s: RunSummary): void {
    const reasons = Object.entries(s.rejectedByReason)
      .map(([reason, n]) => `${reason}=${n}`)
      .join(' ');
    const line = `run ${s.runId} (${s.trigger}) ${s.outcome}: fetched=${s.fetched} published=${s.published} rejected=${s.rejected}${reasons ? ` [${reasons}]` : ''}`;
    if (s.outcome === 'ok') this.logger.log(line);
    else this.logger.warn(`${line}; ${s.errors.map((e) => e.message).join('; ')}`);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
