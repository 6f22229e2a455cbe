import { checkQuote, encodeQuoteMessage, InjectConfig, QuoteflowError, withLogContext, type Quote, type QuoteflowConfig, floorToMinute } from '@app/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { RunLog, RunObservation } from '../coverage/run-log';
import { QualityMonitor } from '../quality/quality-monitor';
import { MarketDataProvider, type ProviderFetch } from '../market-data/market-data-provider';
import { UpstreamError } from '../market-data/upstream.error';
import { CLOCK, systemClock, type Clock } from './clock';
import { serveChain } from './failover';
import { IngestMetrics } from './ingest.metrics';
import { ProviderSelection } from './provider-selection';
import { QuoteQueue } from './quote-queue';
import { RunHistory } from './run-history';
import { runLogLine, summariseRun, type ProviderRun, type RunSummary, type RunTrigger } from './run-summary';

// the Lambda entry point imports the summary type from here
export type { RunSummary } from './run-summary';

/** Rejected rows named per provider and run; the counts by reason cover the rest. */
const NAMED_REJECTIONS = 10;

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
  /** Last published quote time per instrument, so an unchanged row is not published again. */
  private readonly lastPublished = new Map<string, string>();
  private readonly now: Clock;

  constructor(
    private readonly selection: ProviderSelection,
    private readonly history: RunHistory,
    private readonly queue: QuoteQueue,
    private readonly metrics: IngestMetrics,
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Optional() @Inject(CLOCK) now?: Clock,
    @Optional() private readonly runLog?: RunLog,
    @Optional() private readonly quality?: QualityMonitor,
  ) {
    this.now = now ?? systemClock;
  }

  /**
   * Runs once now; two runs never overlap in one process (`RunInProgressError`). `slot`: the
   * schedule slot (epoch ms) a cron or start-up run serves; a manual run counts for its minute.
   */
  async run(trigger: RunTrigger, slot: number | null = null): Promise<RunSummary> {
    const run = { runId: randomUUID(), startedAt: this.now().toISOString() };
    this.history.begin(run);
    let summary: RunSummary | null = null;
    const seen = new RunObservation(slot ?? floorToMinute(Date.parse(run.startedAt)));
    try {
      // every log line of the run, down to the adapters, carries its runId
      summary = await withLogContext({ runId: run.runId }, () => this.execute(trigger, run.runId, run.startedAt, seen));
      this.metrics.run(summary);
      return summary;
    } finally {
      this.history.end(summary);
    }
  }

  private async execute(trigger: RunTrigger, runId: string, startedAt: string, seen: RunObservation): Promise<RunSummary> {
    const selected = this.selection.select(trigger);
    // chains are independent: each publishes as soon as a provider of it has answered, so a slow or
    // failing one (retries, timeouts, failing over) never holds back the others' quotes; all share
    // the run's budget, the next provider of a chain too
    const budget = AbortSignal.timeout(this.config.ingest.budgetMs);
    const claimed = new Set<string>();
    const chains = await Promise.all(
      this.selection.chains().map((order) => serveChain(order, selected, (p) => this.ingestFrom(p, budget, runId, claimed, seen))),
    );
    const runs = chains.flatMap((c) => c.runs);
    runs.forEach((run) => this.metrics.provider(run));
    const skipped = [...selected.skipped, ...chains.flatMap((c) => c.standby)];
    const frame = { runId, trigger, startedAt, finishedAt: this.now().toISOString() };
    const summary = summariseRun(frame, runs, skipped, chains.map((c) => c.outcome));
    const { level, text } = runLogLine(summary);
    this.logger[level](text);
    if (runs.length) await this.record(seen, summary, runs);
    return summary;
  }

  /** One run record per run that called a provider, so completeness can count unchanged quotes as covered. */
  private async record(seen: RunObservation, summary: RunSummary, runs: ProviderRun[]): Promise<void> {
    const answered = runs.filter((r) => !r.upstreamError).map((r) => r.provider);
    const failed = runs.filter((r) => r.upstreamError).map((r) => r.provider);
    const record = seen.record({ runId: summary.runId, trigger: summary.trigger, startedAt: summary.startedAt, answered, failed });
    if (record.truncated) this.logger.warn(`run record of ${summary.runId} too large for one item: ${record.truncated} left out`);
    // the run itself has succeeded or failed already; a missing record only weakens the completeness report
    await this.runLog?.put(record).catch((err: Error) => this.logger.warn(`could not store the run record of ${summary.runId}: ${err.name}: ${err.message}`));
  }

  /**
   * One provider's share of a run: fetch, validate, publish. Never throws, so one provider's
   * trouble stays in its own result. `claimed` holds the instruments another provider already
   * publishes in this run (checked and filled synchronously, so no two providers claim one).
   */
  private async ingestFrom(provider: MarketDataProvider, budget: AbortSignal, runId: string, claimed: Set<string>, seen: RunObservation): Promise<ProviderRun> {
    const name = provider.name;
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
    if (rateLimit) this.history.rateLimitSeen(name, rateLimit);
    this.selection.answered(name, failure);
    if (failure) {
      run.upstreamError = {
        provider: name,
        failure: failure instanceof UpstreamError ? failure.failure : 'unexpected',
        message: failure instanceof Error ? failure.message : inspect(failure),
      };
    }
    if (!result) return run;

    run.fetched = result.candidates.length + (result.rejections?.length ?? 0);
    result.rejections?.forEach((r) => reject(r.symbol, r.reason));
    const quotes = new Map<string, Quote>();
    const valid: Quote[] = [];
    for (const candidate of result.candidates) {
      const check = checkQuote(candidate);
      if (!check.ok) {
        reject(check.symbol, check.reason);
        continue;
      }
      // observes only: compares the sources of an instrument, never changes or drops a quote
      this.quality?.observe(check.quote);
      valid.push(check.quote);
      const key = instrumentKey(check.quote);
      if (this.lastPublished.get(key) === check.quote.quoteTime) {
        run.unchanged++;
        seen.sawUnchanged(check.quote);
      } else if (!claimed.has(key)) quotes.set(key, check.quote);
    }
    quotes.forEach((_, key) => claimed.add(key));
    this.history.served(name, valid);

    const fresh = [...quotes.values()];
    run.fresh = fresh.length;
    if (!fresh.length) return run;
    const fetchedAt = this.now().toISOString();
    const { published, failed } = await this.queue
      .publish(fresh.map((q) => encodeQuoteMessage(q, runId, fetchedAt)))
      .catch((err: unknown) => {
        this.logger.error(`${name}: publishing failed: ${err instanceof Error ? err.message : String(err)}`);
        return { published: 0, failed: fresh.length };
      });
    run.published = published;
    run.unpublished = failed;
    fresh.forEach((q) => seen.published(q));
    // which entries failed is not known: remember none of them, so all are offered again next run
    if (!failed) fresh.forEach((q) => this.lastPublished.set(instrumentKey(q), q.quoteTime));
    return run;
  }
}

function instrumentKey(q: Quote): string {
  return `${q.source}|${q.symbol}|${q.series ?? ''}`;
}
