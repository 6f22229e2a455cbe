import { QuoteflowError, type ProviderName, type Quote } from '@app/common';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { RateLimit } from '../market-data/market-data-provider';
import { CLOCK, systemClock, type Clock } from './clock';
import { ProviderSelection } from './provider-selection';
import { describeOutcome, isGoodRun, type ChainOutcome, type ProviderOutcome, type RunSummary } from './run-summary';

const RECENT_RUNS = 20;

/** A run was requested while one is still going. */
export class RunInProgressError extends QuoteflowError {
  constructor(readonly runId: string) {
    super(`ingest run ${runId} is still in progress`);
  }
}

export interface RunningRun {
  runId: string;
  startedAt: string;
}

/** When the schedule was last served well (see {@link isGoodRun}), and how. */
export interface GoodRun {
  at: string;
  /** `run <runId> (<outcome>)`, or `slot run by another instance`. */
  how: string;
}

/** The provider whose quote of an instrument a run last took, and when. */
export interface InstrumentServed {
  symbol: string;
  series: string | null;
  servedBy: ProviderName;
  at: string;
}

/** A failover chain as `/status` shows it: its order, what the last run did with it, who served each instrument. */
export interface ChainView extends Omit<ChainOutcome, 'servedBy' | 'failedOver'> {
  /** The provider that served the last run; `null` when none did or no run has been. */
  servedBy: ProviderName | null;
  failedOver: ChainOutcome['failedOver'];
  lastRunAt: string | null;
  /** Every instrument a provider of the chain has served in this process, by symbol. */
  instruments: InstrumentServed[];
}

/**
 * What this process knows about the ingest runs: the one in progress, the recent ones, the last
 * good one (which `/status`, the last-success metric and readiness all read), and the quota each
 * provider last reported. `status()` is the `GET /status` read model.
 */
@Injectable()
export class RunHistory {
  private current: RunningRun | null = null;
  private readonly recent: RunSummary[] = [];
  private good: GoodRun | null = null;
  private readonly rateLimits = new Map<ProviderName, RateLimit>();
  private readonly servedBy = new Map<string, InstrumentServed>();
  private readonly now: Clock;

  constructor(
    private readonly selection: ProviderSelection,
    @Optional() @Inject(CLOCK) now?: Clock,
  ) {
    this.now = now ?? systemClock;
  }

  /** Marks `run` as going on; two runs never overlap in one process. */
  begin(run: RunningRun): void {
    if (this.current) throw new RunInProgressError(this.current.runId);
    this.current = run;
  }

  /** The run in progress has ended, with its summary, or with `null` when it threw. */
  end(summary: RunSummary | null): void {
    this.current = null;
    if (!summary) return;
    this.recent.unshift(summary);
    this.recent.length = Math.min(this.recent.length, RECENT_RUNS);
    if (isGoodRun(summary)) this.good = { at: summary.finishedAt, how: `run ${summary.runId} (${summary.outcome})` };
  }

  /** Another instance holds the lease for this slot: the schedule is being served. */
  ranElsewhere(): void {
    this.good = { at: this.now().toISOString(), how: 'slot run by another instance' };
  }

  lastGood(): GoodRun | null {
    return this.good;
  }

  rateLimitSeen(provider: ProviderName, rateLimit: RateLimit): void {
    this.rateLimits.set(provider, rateLimit);
  }

  /** `provider` served these instruments (their valid quotes, published or unchanged) in the run going on. */
  served(provider: ProviderName, quotes: Quote[]): void {
    const at = this.now().toISOString();
    for (const { symbol, series } of quotes) this.servedBy.set(`${symbol}#${series ?? ''}`, { symbol, series: series ?? null, servedBy: provider, at });
  }

  status() {
    return {
      running: this.current,
      lastRun: this.recent[0] ?? null,
      lastSuccessAt: this.good?.at ?? null,
      providers: this.selection.describe().map((p) => ({ ...p, rateLimit: this.rateLimits.get(p.name) ?? null, lastRun: this.lastOutcomeOf(p.name) })),
      rateLimits: Object.fromEntries(this.rateLimits),
      chains: this.selection.chains().map((order) => this.chainView(order)),
      recentRuns: this.recent.map(({ runId, trigger, startedAt, outcome, fetched, published, rejected, unchanged, errors, skipped, providers }) => ({
        runId,
        trigger,
        startedAt,
        outcome,
        fetched,
        published,
        rejected,
        unchanged,
        errors: errors.map((e) => e.message),
        skipped: skipped.map((s) => `${s.provider}: ${s.reason}`),
        providers: Object.fromEntries(Object.entries(providers).map(([name, o]) => [name, describeOutcome(o)])),
      })),
    };
  }

  private chainView(order: ProviderName[]): ChainView {
    const chain = order.join('>');
    const last = this.recent[0];
    const outcome = last?.chains.find((c) => c.chain === chain);
    const instruments = [...this.servedBy.values()].filter((i) => order.includes(i.servedBy)).sort((a, b) => a.symbol.localeCompare(b.symbol));
    return { chain, order, servedBy: outcome?.servedBy ?? null, failedOver: outcome?.failedOver ?? [], lastRunAt: last?.finishedAt ?? null, instruments };
  }

  /** The provider's part of the latest run that called or skipped it, with a sentence for people. */
  private lastOutcomeOf(name: ProviderName): (ProviderOutcome & { at: string; says: string }) | null {
    const run = this.recent.find((r) => r.providers[name]);
    const outcome = run?.providers[name];
    return run && outcome ? { ...outcome, at: run.finishedAt, says: describeOutcome(outcome) } : null;
  }
}
