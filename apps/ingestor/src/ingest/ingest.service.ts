import {
  checkQuote,
  encodeQuoteMessage,
  InjectConfig,
  isMarketOpen,
  QuoteflowError,
  withLogContext,
  type MarketHours,
  type ProviderName,
  type Quote,
  type QuoteflowConfig,
} from '@app/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MARKET_DATA_PROVIDERS, MarketDataProvider, type ProviderFetch, type RateLimit } from '../market-data/market-data-provider';
import { UpstreamError, type UpstreamFailure } from '../market-data/upstream.error';
import { IngestMetrics } from './ingest.metrics';
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
  /** Providers not called; `cause` for code, `reason` in words. */
  skipped: { provider: ProviderName; cause: 'market_closed' | 'quota' | 'stopped'; reason: string }[];
  /** The same run seen per provider: one entry for every configured provider, called or skipped. */
  providers: Partial<Record<ProviderName, ProviderOutcome>>;
}

/** One provider's part of a run. */
export interface ProviderOutcome {
  /**
   * `ok`: answered, and its valid quotes were published; `partial`: stopped part-way, or some of its
   * quotes could not be published; `failed`: nothing fetched, or nothing it fetched could be
   * published; `skipped`: not called (`reason` says why).
   */
  outcome: 'ok' | 'partial' | 'failed' | 'skipped';
  fetched: number;
  published: number;
  rejected: number;
  /** The first rows it had rejected, by symbol (`FRESH-USD: missing_day_range`), to find them upstream. */
  rejections: string[];
  stale: number;
  /** Why it failed or stopped part-way, in words. */
  error?: string;
  /** Why it was not called. */
  reason?: string;
}

/** What {@link IngestService} gathers while one provider runs. */
interface ProviderRun {
  provider: ProviderName;
  fetched: number;
  /** Valid, changed quotes handed to the queue. */
  fresh: number;
  published: number;
  unpublished: number;
  stale: number;
  rejectedByReason: Record<string, number>;
  rejections: string[];
  upstreamError?: RunError;
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

/** Rejected rows named per provider and run; the counts by reason cover the rest. */
const NAMED_REJECTIONS = 10;

/** Injection token of the clock (tests move time). */
export const CLOCK = Symbol('CLOCK');
const RECENT_RUNS = 20;

/** A run in which no provider answered or SQS took none of the quotes (the Lambda schedule handler fails with it). */
export class IngestRunFailedError extends QuoteflowError {
  constructor(readonly summary: RunSummary) {
    super(`ingest run ${summary.runId} failed: ${summary.errors.map((e) => e.message).join('; ')}`);
  }
}

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
    private readonly metrics: IngestMetrics,
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
      // every log line of the run, down to the adapters, carries its runId
      const summary = await withLogContext({ runId: run.runId }, () => this.execute(trigger, run.runId, run.startedAt));
      this.metrics.run(summary);
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
          lastRun: this.lastOutcomeOf(p.name),
        };
      }),
      rateLimits: Object.fromEntries(this.rateLimits),
      recentRuns: this.recent.map(({ runId, trigger, startedAt, outcome, fetched, published, rejected, stale, errors, skipped, providers }) => ({
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
        providers: Object.fromEntries(Object.entries(providers).map(([name, o]) => [name, describeOutcome(o)])),
      })),
    };
  }

  /** The provider's part of the latest run that called or skipped it, with a sentence for people. */
  private lastOutcomeOf(name: ProviderName): (ProviderOutcome & { at: string; says: string }) | null {
    const run = this.recent.find((r) => r.providers[name]);
    const outcome = run?.providers[name];
    return run && outcome ? { ...outcome, at: run.finishedAt, says: describeOutcome(outcome) } : null;
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
          cause: gate.reason === 'quota' ? 'quota' : 'stopped',
          reason: gate.reason === 'quota' ? `quota exhausted, paused until ${gate.until}` : `stopped after: ${gate.message}`,
        });
      } else if (!manual && hours && !isMarketOpen(hours, now)) {
        skipped.push({ provider: provider.name, cause: 'market_closed', reason: `market closed (${hours.text})` });
      } else {
        callable.push(provider);
      }
    }
    return { callable, skipped };
  }

  private async execute(trigger: RunTrigger, runId: string, startedAt: string): Promise<RunSummary> {
    const { callable, skipped } = this.select(trigger);
    // providers are independent: each publishes as soon as it has answered, so a slow or failing
    // one (retries, timeouts) never holds back the others' quotes; all share the run's budget
    const budget = AbortSignal.timeout(this.config.ingest.budgetMs);
    const claimed = new Set<string>();
    const runs = await Promise.all(callable.map((p) => this.ingestFrom(p, budget, runId, claimed)));
    runs.forEach((run) => this.metrics.provider(run));

    const rejectedByReason: Record<string, number> = {};
    for (const run of runs) {
      for (const [reason, n] of Object.entries(run.rejectedByReason)) rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + n;
    }
    const total = (field: 'fetched' | 'published' | 'stale' | 'unpublished' | 'fresh') => sum(runs.map((r) => r[field]));
    const [fetched, published, stale, unpublished, fresh] = (['fetched', 'published', 'stale', 'unpublished', 'fresh'] as const).map(total);
    const errors = runs.flatMap((r) => (r.upstreamError ? [r.upstreamError] : []));
    if (unpublished) errors.push({ provider: 'queue', failure: 'queue', message: `${unpublished} quote(s) could not be published to SQS` });

    const rejected = sum(Object.values(rejectedByReason));
    const upstreamFailures = errors.filter((e) => e.provider !== 'queue').length;
    const providers: RunSummary['providers'] = {};
    for (const run of runs) providers[run.provider] = providerOutcome(run);
    for (const skip of skipped) providers[skip.provider] = { outcome: 'skipped', fetched: 0, published: 0, rejected: 0, rejections: [], stale: 0, reason: skip.reason };
    const summary: RunSummary = {
      runId,
      trigger,
      startedAt,
      finishedAt: this.now().toISOString(),
      outcome:
        callable.length === 0
          ? 'skipped'
          : (upstreamFailures === callable.length && fetched === 0) || (fresh > 0 && published === 0)
            ? 'failed'
            : errors.length || skipped.length
              ? 'partial'
              : 'ok',
      fetched,
      published,
      rejected,
      rejectedByReason,
      stale,
      unpublished,
      errors,
      skipped,
      providers,
    };
    this.report(summary);
    return summary;
  }

  /**
   * One provider's share of a run: fetch, validate, publish. Never throws, so one provider's
   * trouble stays in its own result. `claimed` holds the instruments another provider already
   * publishes in this run (checked and filled synchronously, so no two providers claim one).
   */
  private async ingestFrom(provider: MarketDataProvider, budget: AbortSignal, runId: string, claimed: Set<string>): Promise<ProviderRun> {
    const name = provider.name;
    const run: ProviderRun = { provider: name, fetched: 0, fresh: 0, published: 0, unpublished: 0, stale: 0, rejectedByReason: {}, rejections: [] };
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
    if (rateLimit) this.rateLimits.set(name, rateLimit);
    if (failure) {
      if (failure instanceof UpstreamError) this.gates.failed(name, failure, this.now());
      run.upstreamError = {
        provider: name,
        failure: failure instanceof UpstreamError ? failure.failure : 'unexpected',
        message: failure instanceof Error ? failure.message : String(failure),
      };
    } else {
      this.gates.succeeded(name);
    }
    if (!result) return run;

    run.fetched = result.candidates.length + (result.rejections?.length ?? 0);
    result.rejections?.forEach((r) => reject(r.symbol, r.reason));
    const quotes = new Map<string, Quote>();
    for (const candidate of result.candidates) {
      const check = checkQuote(candidate);
      if (!check.ok) {
        reject(check.symbol, check.reason);
        continue;
      }
      const key = instrumentKey(check.quote);
      if (this.lastPublished.get(key) === check.quote.quoteTime) run.stale++;
      else if (!claimed.has(key)) quotes.set(key, check.quote);
    }
    quotes.forEach((_, key) => claimed.add(key));

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
    // which entries failed is not known: remember none of them, so all are offered again next run
    if (!failed) fresh.forEach((q) => this.lastPublished.set(instrumentKey(q), q.quoteTime));
    return run;
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

function providerOutcome(run: ProviderRun): ProviderOutcome {
  const rejected = sum(Object.values(run.rejectedByReason));
  const queueError = run.unpublished ? `${run.unpublished} quote(s) could not be published to SQS` : null;
  const error = [run.upstreamError?.message, queueError].filter(Boolean).join('; ') || undefined;
  const outcome =
    (run.upstreamError && run.fetched === 0) || (run.fresh > 0 && run.published === 0) ? 'failed' : error ? 'partial' : 'ok';
  const { fetched, published, rejections, stale } = run;
  return { outcome, fetched, published, rejected, rejections, stale, ...(error ? { error } : {}) };
}

/** `ok: fetched 5, published 4, rejected 1, unchanged 0`; `failed: coingecko: upstream answered HTTP 500: …`. */
export function describeOutcome(o: ProviderOutcome): string {
  if (o.outcome === 'skipped') return `skipped: ${o.reason ?? 'not called'}`;
  const counts = `fetched ${o.fetched}, published ${o.published}, rejected ${o.rejected}, unchanged ${o.stale}`;
  return o.error ? `${o.outcome}: ${o.error} (${counts})` : `${o.outcome}: ${counts}`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function instrumentKey(q: Quote): string {
  return `${q.source}|${q.symbol}|${q.series ?? ''}`;
}
