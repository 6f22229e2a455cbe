import { InjectConfig, QuoteflowError, withLogContext, type HistoryProviderName, type ProviderName, type QuoteflowConfig, DAY_MS, floorToMinute, MINUTE_MS } from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../clock/clock';
import { CoverageService, type Instrument, type RunCache } from '../coverage/coverage.service';
import { QuoteTimes } from '../coverage/quote-times';
import { BackfillLease, type HeldLease } from '../ingest/ingest-lease';
import { publishQuotes, validQuotes } from '../ingest/quote-publishing';
import { QuoteQueue } from '../ingest/quote-queue';
import type { HistorySource } from '../market-data/history/history-source';
import { MARKET_DATA_PROVIDERS, MarketDataProvider } from '../market-data/market-data-provider';
import { UpstreamError } from '../market-data/upstream.error';
import { QuoteReader } from '../quotes/quote-reader';
import { pauseHolds, ProviderPauses } from '../state/provider-pauses';
import { SharedState } from '../state/shared-state';
import { pauseOf, type StateSnapshot } from '../state/shared-state.store';
import { BackfillLedger } from './backfill-ledger';
import { BackfillMetrics } from './backfill.metrics';
import { mergeSpans, nextState, subtractSpans, toSpan, within, type Span } from './backfill-plan';

/** The oldest minutes an endpoint still serves are left alone: they would have aged out by the time the call is made. */
const REACH_MARGIN_MS = 10 * MINUTE_MS;

export type BackfillTrigger = 'startup' | 'schedule' | 'admin' | 'cli';

/** What to fill: every stored instrument since its watermark (automatic), or the given symbols and range. */
export interface BackfillRequest {
  trigger: BackfillTrigger;
  symbols?: string[];
  from?: Date;
  to?: Date;
}

/** How one instrument came out of a pass. */
export interface InstrumentBackfill {
  symbol: string;
  series: string | null;
  source: ProviderName;
  outcome: 'filled' | 'nothing_missing' | 'no_history_endpoint' | 'budget_spent' | 'paused' | 'failed' | 'not_stored';
  /** The range searched for gaps (ISO-8601 UTC). */
  searched: { from: string; to: string } | null;
  /** Missing minutes found (not stored, not seen unchanged, never asked before). */
  missingMinutes: number;
  /** The range asked of the history endpoint, if a call was made. */
  asked: { from: string; to: string } | null;
  published: number;
  rejected: number;
  message?: string;
}

export interface BackfillSummary {
  passId: string;
  trigger: BackfillTrigger;
  startedAt: string;
  finishedAt: string;
  /** History calls made, per provider. */
  calls: Partial<Record<ProviderName, number>>;
  published: number;
  rejected: number;
  instruments: InstrumentBackfill[];
}

/** A quota answer of a history endpoint: backfill from it waits until then; live ingest is not touched. */
export interface BackfillPause {
  provider: ProviderName;
  until: string;
  message: string;
}

/** A stored instrument, or a symbol asked for that has nothing stored (so no known provider). */
type Wanted = Instrument | { missing: true; instrument: Instrument };

/** A pass is going on already, in this process or another one (the backfill lease is held). */
export class BackfillInProgressError extends QuoteflowError {
  constructor(holder: string | null = null) {
    super(`a backfill pass is in progress${holder ? ` on ${holder}` : ''}; try again when it has finished`);
  }
}

/** Long enough for one instrument's call; renewed while a pass lasts, so it only matters when a holder dies. */
const LEASE_TTL_MS = 60_000;

/**
 * The one backfill path, behind the start-up pass, the schedule, `POST /admin/backfill` and
 * `npm run backfill`: for each instrument, the gaps of the completeness report (minus what was
 * asked before) → one call of its provider's history endpoint within the call budget → the bars
 * that fall in the gaps, validated, onto the queue as `origin: 'backfill'` quotes.
 */
@Injectable()
export class BackfillService {
  private readonly logger = new Logger(BackfillService.name);
  private readonly sources = new Map<ProviderName, HistorySource>();

  constructor(
    @Inject(MARKET_DATA_PROVIDERS) providers: MarketDataProvider[],
    private readonly reader: QuoteReader,
    private readonly coverage: CoverageService,
    private readonly times: QuoteTimes,
    private readonly ledger: BackfillLedger,
    private readonly queue: QuoteQueue,
    private readonly lease: BackfillLease,
    private readonly pauses: ProviderPauses,
    private readonly state: SharedState,
    private readonly metrics: BackfillMetrics,
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    for (const p of providers) if (p.history) this.sources.set(p.name, p.history);
  }

  /** Providers configured with a history endpoint. */
  get providers(): ProviderName[] {
    return [...this.sources.keys()];
  }

  /** One pass, under the backfill lease: one pass at a time across every process. */
  async run(request: BackfillRequest): Promise<BackfillSummary> {
    const passId = randomUUID();
    const taken = await this.lease.acquire(LEASE_TTL_MS, null, { passId });
    if ('heldBy' in taken) throw new BackfillInProgressError(taken.heldBy.holder);
    const renewal = setInterval(() => {
      this.lease.renew(taken.lease, LEASE_TTL_MS).catch((err: Error) => this.logger.warn(`could not renew the backfill lease: ${err.message}`));
    }, LEASE_TTL_MS / 3);
    let summary: BackfillSummary | null = null;
    try {
      summary = await withLogContext({ runId: passId }, () => this.pass(passId, request));
      return summary;
    } finally {
      clearInterval(renewal);
      await this.release(taken.lease, summary);
      this.state.invalidate();
    }
  }

  /** Frees the lease, leaving the pass's summary on it for every process's `/status`. */
  private async release(lease: HeldLease, summary: BackfillSummary | null): Promise<void> {
    await this.lease
      .release(lease, summary ? { lastPass: JSON.stringify(summary) } : {})
      .catch((err: Error) => this.logger.warn(`could not release the backfill lease: ${err.message}`));
  }

  /** `/status`: the pass going on and the last one (of any process), pauses, and this hour's budget. */
  async status() {
    const now = this.now();
    const snapshot = await this.state.snapshot();
    const lease = snapshot.leases.backfill as { holder?: string; expiresAt?: number; acquiredAt?: string; passId?: string; lastPass?: string } | null;
    const running = lease && (lease.expiresAt ?? 0) > now.getTime() ? { passId: lease.passId ?? null, startedAt: lease.acquiredAt ?? null, holder: lease.holder ?? null } : null;
    const paused: BackfillPause[] = this.providers.flatMap((provider) => {
      const pause = pauseHolds(pauseOf(snapshot, provider, 'backfill'), now);
      return pause?.until ? [{ provider, until: pause.until, message: pause.message }] : [];
    });
    const budget = await Promise.all(
      this.providers.map(async (provider) => ({
        provider,
        callsPerHour: this.limit(provider),
        spentThisHour: await this.ledger.spent(provider, now).catch(() => null),
      })),
    );
    return {
      providers: this.providers,
      schedule: this.config.backfill.cron,
      onStart: this.config.backfill.onStart,
      maxDays: this.config.backfill.maxDays,
      running: running !== null,
      runningPass: running,
      budget,
      paused,
      lastPass: lease?.lastPass ? (JSON.parse(lease.lastPass) as BackfillSummary) : null,
    };
  }

  private async pass(passId: string, request: BackfillRequest): Promise<BackfillSummary> {
    const startedAt = this.now().toISOString();
    const instruments = await this.instruments(request.symbols);
    const results: InstrumentBackfill[] = [];
    const calls: Partial<Record<ProviderName, number>> = {};
    const stopped = new Map<ProviderName, { outcome: 'budget_spent' | 'paused'; message: string }>();
    const runs: RunCache = new Map();
    // the pauses of every process, read once for the pass (a pause met during it is kept in `stopped`)
    const snapshot = await this.state.fresh();
    for (const instrument of instruments) {
      if ('missing' in instrument) {
        results.push(this.result(instrument.instrument, 'not_stored', { message: 'nothing stored for this symbol: its provider is not known' }));
        continue;
      }
      const source = this.sources.get(instrument.source);
      if (!source) {
        results.push(this.result(instrument, 'no_history_endpoint', { message: `${instrument.source} has no history endpoint (or is not configured)` }));
        continue;
      }
      const stop = stopped.get(instrument.source) ?? this.gated(instrument.source, snapshot);
      if (stop) {
        stopped.set(instrument.source, stop);
        results.push(this.result(instrument, stop.outcome, { message: stop.message }));
        continue;
      }
      const outcome = await this.fill(instrument, source, request, passId, runs, () => (calls[instrument.source] = (calls[instrument.source] ?? 0) + 1));
      if (outcome.outcome === 'budget_spent' || outcome.outcome === 'paused') stopped.set(instrument.source, { outcome: outcome.outcome, message: outcome.message ?? '' });
      results.push(outcome);
    }
    const summary: BackfillSummary = {
      passId,
      trigger: request.trigger,
      startedAt,
      finishedAt: this.now().toISOString(),
      calls,
      published: results.reduce((n, r) => n + r.published, 0),
      rejected: results.reduce((n, r) => n + r.rejected, 0),
      instruments: results,
    };
    const missing = results.reduce((n, r) => n + r.missingMinutes, 0);
    this.logger.log(`backfill ${request.trigger} pass: ${missing} missing minute(s), ${summary.published} bar(s) published, calls ${JSON.stringify(calls)}`);
    return summary;
  }

  /** One instrument: find its gaps, ask the endpoint once, publish the bars that fill them. */
  private async fill(instrument: Instrument, source: HistorySource, request: BackfillRequest, passId: string, runs: RunCache, counted: () => void): Promise<InstrumentBackfill> {
    const now = this.now();
    const automatic = request.from === undefined;
    const state = await this.ledger.state(instrument.symbol, instrument.series);
    const reach = now.getTime() - source.lookbackMs + REACH_MARGIN_MS;
    const floor = Math.max(reach, automatic ? now.getTime() - this.config.backfill.maxDays * DAY_MS : -Infinity);
    // automatic: from the watermark, or else from the first stored quote (before it nothing was
    // collected, so nothing is missing; older history is there for the asking, by route or CLI)
    const start = automatic ? (state.watermark ?? (await this.times.first(instrument.symbol, instrument.series))) : request.from!.toISOString();
    if (start === null) return this.result(instrument, 'nothing_missing', { message: 'no quote stored yet' });
    const from = Math.max(floor, floorToMinute(Date.parse(start)));
    const to = Math.min(now.getTime(), request.to?.getTime() ?? Infinity);
    const searched = { from: new Date(from).toISOString(), to: new Date(Math.max(from, to)).toISOString() };
    if (from >= to) return this.result(instrument, 'nothing_missing', { searched, message: request.from && request.from.getTime() < reach ? 'the range is older than the endpoint serves' : undefined });

    const { gaps, judgedUntil } = await this.coverage.gapsBetween(instrument, from, to, runs);
    const missing = subtractSpans(
      gaps.map((g) => ({ from: Date.parse(g.from), to: Date.parse(g.to) })),
      state.asked.map(toSpan),
    );
    const missingMinutes = missing.reduce((n, s) => n + (s.to - s.from) / MINUTE_MS, 0);
    const save = (asked: Span | null) =>
      this.ledger.save(instrument.symbol, instrument.series, nextState(state, { searched: { from, to }, judgedUntil, missing, asked, automatic, at: this.now() }));
    if (!missing.length) {
      await save(null);
      return this.result(instrument, 'nothing_missing', { searched });
    }

    const provider = instrument.source;
    if (!(await this.ledger.spend(provider, this.limit(provider), now))) {
      await save(null);
      this.metrics.call(provider, 'budget_spent');
      return this.result(instrument, 'budget_spent', { searched, missingMinutes, message: `${provider}: ${this.limit(provider)} history call(s) an hour spent` });
    }
    const window = { from: missing[0].from, to: missing[missing.length - 1].to };
    const asked = { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
    counted();
    let fetch;
    try {
      fetch = await source.historyOf(instrument, new Date(window.from), new Date(window.to), AbortSignal.timeout(this.config.ingest.budgetMs));
    } catch (err) {
      const quota = err instanceof UpstreamError && err.failure === 'quota';
      this.metrics.call(provider, quota ? 'quota' : 'failed');
      const message = err instanceof Error ? err.message : String(err);
      if (quota) await this.pause(provider, err, message);
      else this.logger.warn(`backfill of ${instrument.symbol} from ${provider} failed: ${message}`);
      return this.result(instrument, quota ? 'paused' : 'failed', { searched, missingMinutes, asked, message });
    }
    this.metrics.call(provider, 'ok');

    const spans = mergeSpans(missing);
    let rejected = fetch.rejections?.length ?? 0;
    const inGaps = fetch.candidates.filter((candidate) => within(spans, Date.parse(String(candidate.quoteTime))));
    const bars = validQuotes(inGaps, () => rejected++);
    const { published, failed } = await publishQuotes(this.queue, bars, passId, this.now().toISOString());
    this.metrics.quotes(provider, published, rejected);
    if (failed) {
      // not recorded as asked: the next pass asks again and publishes what SQS did not take
      return this.result(instrument, 'failed', { searched, missingMinutes, asked, published, rejected, message: `${failed} bar(s) not taken by SQS` });
    }
    await save(fetch.covered ? { from: Date.parse(fetch.covered.from), to: Date.parse(fetch.covered.to) } : null);
    return this.result(instrument, 'filled', { searched, missingMinutes, asked, published, rejected });
  }

  /** The stored instruments the request names (all of them for an automatic pass), or the symbols with nothing stored. */
  private async instruments(symbols?: string[]): Promise<Wanted[]> {
    const latest = await this.reader.allLatest();
    const all: Wanted[] = latest.map((q) => ({ symbol: q.symbol, series: q.series, source: q.source }));
    if (!symbols) return all;
    return symbols.flatMap((symbol): Wanted[] => {
      const found = all.filter((i) => 'symbol' in i && i.symbol === symbol);
      return found.length ? found : [{ missing: true, instrument: { symbol, series: null, source: 'demo' } }];
    });
  }

  private limit(provider: ProviderName): number {
    return this.config.backfill.callsPerHour[provider as HistoryProviderName] ?? 0;
  }

  /** Backfill waits while the provider's own quota answer says so, and while the live path is paused for it (in any process). */
  private gated(provider: ProviderName, snapshot: StateSnapshot): { outcome: 'paused'; message: string } | null {
    const now = this.now();
    const pause = pauseHolds(pauseOf(snapshot, provider, 'backfill'), now);
    if (pause) return { outcome: 'paused', message: `backfill paused until ${pause.until}: ${pause.message}` };
    const live = pauseHolds(pauseOf(snapshot, provider, 'ingest'), now);
    return live ? { outcome: 'paused', message: `live ingest of ${provider} is paused (${live.reason}): backfill waits` } : null;
  }

  private async pause(provider: ProviderName, err: UpstreamError, message: string): Promise<void> {
    const pause = await this.pauses.answered(provider, 'backfill', err, null);
    this.logger.warn(`backfill from ${provider} paused until ${pause?.until}: ${message}`);
  }

  private result(instrument: Instrument, outcome: InstrumentBackfill['outcome'], more: Partial<InstrumentBackfill> = {}): InstrumentBackfill {
    const { symbol, series, source } = instrument;
    return { symbol, series, source, outcome, searched: null, missingMinutes: 0, asked: null, published: 0, rejected: 0, ...more };
  }
}
