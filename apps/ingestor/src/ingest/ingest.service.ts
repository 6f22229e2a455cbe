import {
  InjectConfig,
  PROVIDER_LAST_MAX_QUOTES,
  QuoteflowError,
  withLogContext,
  type Quote,
  type QuoteflowConfig,
  type ProviderLastItem,
  floorToMinute,
} from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { CLOCK, type Clock } from '../clock/clock';
import { MarketDataProvider, type ProviderFetch } from '../market-data/market-data-provider';
import { UpstreamError } from '../market-data/upstream.error';
import type { QualityBook } from '../quality/quality-book';
import { QualityMonitor, seenOf } from '../quality/quality-monitor';
import { RunObservation } from '../state/run-observation';
import { SharedState } from '../state/shared-state';
import { SharedStateStore, type StateSnapshot } from '../state/shared-state.store';
import { serveChain } from './failover';
import { IngestMetrics } from './ingest.metrics';
import { ProviderSelection } from './provider-selection';
import { publishQuotes, validQuotes } from './quote-publishing';
import { QuoteQueue } from './quote-queue';
import { runLogLine, summariseRun, type ProviderRun, type RunSummary, type RunTrigger } from './run-summary';

// the Lambda entry point imports the summary type from here
export type { RunSummary } from './run-summary';

/** Rejected rows named per provider and run; the counts by reason cover the rest. */
const NAMED_REJECTIONS = 10;

/** A run was requested while one is still going in this process. */
export class RunInProgressError extends QuoteflowError {
  constructor(readonly runId: string) {
    super(`ingest run ${runId} is still in progress`);
  }
}

/** What a provider's part of a run needs besides the provider: the run, and the shared state it began with. */
interface RunContext {
  runId: string;
  budget: AbortSignal;
  claimed: Set<string>;
  seen: RunObservation;
  snapshot: StateSnapshot;
  quality: QualityBook;
}

/** A run in which no provider answered or SQS took none of the quotes (the Lambda schedule handler fails with it). */
export class IngestRunFailedError extends QuoteflowError {
  constructor(readonly summary: RunSummary) {
    super(`ingest run ${summary.runId} failed: ${summary.errors.map((e) => e.message).join('; ')}`);
  }
}

/**
 * The one ingest path, behind the cron, `POST /ingest/trigger` and the Lambda schedule handler:
 * per failover chain, the first provider that may be called (the next one if it fails) → validate
 * each row → publish new quotes → a run summary.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  /** The run going on in this process (the lease keeps runs of different processes apart). */
  private current: string | null = null;

  constructor(
    private readonly selection: ProviderSelection,
    private readonly queue: QuoteQueue,
    private readonly metrics: IngestMetrics,
    private readonly store: SharedStateStore,
    private readonly state: SharedState,
    private readonly quality: QualityMonitor,
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  /**
   * Runs once now; two runs never overlap in one process (`RunInProgressError`). `slot`: the
   * schedule slot (epoch ms) a cron or start-up run serves; a manual run counts for its minute.
   * `runId`: the id the caller announced (in the lease item), else a new one.
   */
  async run(trigger: RunTrigger, slot: number | null = null, runId: string = randomUUID()): Promise<RunSummary> {
    if (this.current) throw new RunInProgressError(this.current);
    this.current = runId;
    const startedAt = this.now().toISOString();
    const seen = new RunObservation(slot ?? floorToMinute(Date.parse(startedAt)));
    try {
      // every log line of the run, down to the adapters, carries its runId
      const summary = await withLogContext({ runId }, () => this.execute(trigger, runId, startedAt, seen));
      await this.metrics.run(summary);
      return summary;
    } finally {
      this.current = null;
      // this process's next /status shows its own run at once
      this.state.invalidate();
    }
  }

  private async execute(trigger: RunTrigger, runId: string, startedAt: string, seen: RunObservation): Promise<RunSummary> {
    const selected = await this.selection.select(trigger);
    // chains are independent: each publishes as soon as a provider of it has answered, so a slow or
    // failing one (retries, timeouts, failing over) never holds back the others' quotes; all share
    // the run's budget, the next provider of a chain too
    const context: RunContext = {
      runId,
      budget: AbortSignal.timeout(this.config.ingest.budgetMs),
      claimed: new Set<string>(),
      seen,
      snapshot: selected.snapshot,
      quality: this.quality.forRun(selected.snapshot),
    };
    const chains = await Promise.all(this.selection.chains().map((order) => serveChain(order, selected, (p) => this.ingestFrom(p, context))));
    const runs = chains.flatMap((c) => c.runs);
    runs.forEach((run) => this.metrics.provider(run));
    const skipped = [...selected.skipped, ...chains.flatMap((c) => c.standby)];
    const frame = { runId, trigger, startedAt, finishedAt: this.now().toISOString() };
    const summary = summariseRun(frame, runs, skipped, chains.map((c) => c.outcome));
    const { level, text } = runLogLine(summary);
    this.logger[level](text);
    await this.record(seen, summary, runs);
    return summary;
  }

  /**
   * One run record per run, with its summary: every process's `/status` lists it, and completeness
   * counts the unchanged quotes of a run that called a provider as covered.
   */
  private async record(seen: RunObservation, summary: RunSummary, runs: ProviderRun[]): Promise<void> {
    const answered = runs.filter((r) => !r.upstreamError).map((r) => r.provider);
    const failed = runs.filter((r) => r.upstreamError).map((r) => r.provider);
    const record = seen.record({ runId: summary.runId, trigger: summary.trigger, startedAt: summary.startedAt, answered, failed });
    if (record.truncated) this.logger.warn(`run record of ${summary.runId} too large for one item: ${record.truncated} left out`);
    // the run itself has succeeded or failed already; a missing record only weakens /status and the completeness report
    await this.store
      .putRun({ ...record, summary: summary as unknown as Record<string, unknown> })
      .catch((err: Error) => this.logger.warn(`could not store the run record of ${summary.runId}: ${err.name}: ${err.message}`));
  }

  /**
   * One provider's share of a run: fetch, validate, publish, and what it saw into the provider's
   * shared item. Never throws, so one provider's trouble stays in its own result. `claimed` holds
   * the instruments another provider already publishes in this run (checked and filled
   * synchronously, so no two providers claim one).
   */
  private async ingestFrom(provider: MarketDataProvider, { runId, budget, claimed, seen, snapshot, quality }: RunContext): Promise<ProviderRun> {
    const name = provider.name;
    // the unchanged-quote filter is shared: the quote times of the provider's last run, in whichever
    // process, unless SQS did not take all of them then
    const before = snapshot.last.get(name);
    const lastTimes = new Map(before && !before.unpublished ? before.quotes.map(([symbol, series, , , , quoteTime]) => [instrumentKey({ symbol, series, source: name }), quoteTime]) : []);
    const run: ProviderRun = { provider: name, fetched: 0, fresh: 0, published: 0, unpublished: 0, unchanged: 0, rejectedByReason: {}, rejections: [] };
    const reject = (symbol: string | null, reason: string) => {
      run.rejectedByReason[reason] = (run.rejectedByReason[reason] ?? 0) + 1;
      if (run.rejections.length < NAMED_REJECTIONS) run.rejections.push(`${symbol ?? '(no symbol)'}: ${reason}`);
    };
    let result: ProviderFetch | null = null;
    let failure: unknown;
    try {
      result = await provider.fetch(budget);
      failure = result.failure;
    } catch (err) {
      failure = err;
    }
    const rateLimit = result?.rateLimit ?? (failure instanceof UpstreamError ? failure.rateLimit : null);
    await this.selection.answered(name, failure, snapshot).catch((err: Error) => this.logger.warn(`${name}: could not record its pause: ${err.name}: ${err.message}`));
    if (failure) {
      run.upstreamError = {
        provider: name,
        failure: failure instanceof UpstreamError ? failure.failure : 'unexpected',
        message: failure instanceof Error ? failure.message : inspect(failure),
      };
    }
    if (!result) {
      // the rate-limit headers of a failed call still tell the quota
      if (rateLimit) await this.remember({ provider: name, runId, quotes: [], unpublished: false, jumps: [], ...before, rateLimit });
      return run;
    }

    run.fetched = result.candidates.length + (result.rejections?.length ?? 0);
    result.rejections?.forEach((r) => reject(r.symbol, r.reason));
    const quotes = new Map<string, Quote>();
    const valid = validQuotes(result.candidates, reject);
    for (const quote of valid) {
      // observes only: compares the sources of an instrument, never changes or drops a quote
      quality.observe(quote);
      const key = instrumentKey(quote);
      if (lastTimes.get(key) === quote.quoteTime) {
        run.unchanged++;
        seen.sawUnchanged(quote);
      } else if (!claimed.has(key)) quotes.set(key, quote);
    }
    quotes.forEach((_, key) => claimed.add(key));

    const fresh = [...quotes.values()];
    run.fresh = fresh.length;
    const item = { provider: name, runId, rateLimit, quotes: valid.map(seenOf), jumps: this.quality.jumpsOf(quality, name) };
    if (!fresh.length) {
      // an answer without a valid quote leaves what the provider's last quotes were (the quality
      // monitor and the filter still need them); only its rate-limit headers are news
      if (valid.length || !before) await this.remember({ ...item, unpublished: false });
      else if (rateLimit) await this.remember({ ...before, rateLimit });
      return run;
    }
    const fetchedAt = this.now().toISOString();
    const { published, failed } = await publishQuotes(this.queue, fresh, runId, fetchedAt).catch((err: unknown) => {
        this.logger.error(`${name}: publishing failed: ${err instanceof Error ? err.message : String(err)}`);
        return { published: 0, failed: fresh.length };
      });
    run.published = published;
    run.unpublished = failed;
    fresh.forEach((q) => seen.published(q));
    // which entries failed is not known: the filter of the next run then holds none of them, so all are offered again
    await this.remember({ ...item, unpublished: failed > 0 });
    return run;
  }

  /**
   * The provider's shared item: what its last run saw (a failed call that still carried rate-limit
   * headers updates only those, keeping what the run before it saw and when).
   */
  private async remember(last: Omit<ProviderLastItem, 'observedAt' | 'truncated'> & { observedAt?: string }): Promise<void> {
    const truncated = Math.max(0, last.quotes.length - PROVIDER_LAST_MAX_QUOTES);
    // a missing item costs the next run its filter (it publishes again: harmless) and /status a detail
    await this.store
      .putLast({ ...last, quotes: last.quotes.slice(0, PROVIDER_LAST_MAX_QUOTES), observedAt: last.observedAt ?? this.now().toISOString(), ...(truncated ? { truncated } : {}) })
      .catch((err: Error) => this.logger.warn(`${last.provider}: could not store what its run saw: ${err.name}: ${err.message}`));
  }
}

function instrumentKey(q: Pick<Quote, 'source' | 'symbol' | 'series'>): string {
  return `${q.source}|${q.symbol}|${q.series ?? ''}`;
}
