import type { ProviderName, RunRecord } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import type { StateSnapshot } from '../state/shared-state.store';
import { SharedState } from '../state/shared-state';
import { ProviderSelection, type ProviderView } from './provider-selection';
import { describeOutcome, isGoodRun, type ChainOutcome, type ProviderOutcome, type RunSummary } from './run-summary';


export interface RunningRun {
  runId: string | null;
  startedAt: string;
  /** The instance running it. */
  holder: string | null;
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
  /** Every instrument a provider of the chain served in its last run (in any process), by symbol. */
  instruments: InstrumentServed[];
}

/**
 * What every ingestor process knows about the ingest runs, read from the shared table: the one in
 * progress (the ingest lease), the recent ones (run records), the last good one (written on the
 * lease by the run that ended), each provider's quota and pause, and who served each instrument
 * (the providers' items). `status()` is the `GET /status` read model, the same in every process.
 */
@Injectable()
export class RunHistory {
  constructor(
    private readonly selection: ProviderSelection,
    private readonly state: SharedState,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  /** The last good run of any process (`/status`, the last-success metric, readiness). */
  async lastGood(): Promise<GoodRun | null> {
    const [snapshot, records] = await Promise.all([this.state.snapshot(), this.state.recentRuns()]);
    return lastGoodOf(snapshot, summariesOf(records));
  }

  /** Every configured provider's market and pause (of any process), as `/status` shows them. */
  async providers(): Promise<ProviderView[]> {
    return this.selection.describe(await this.state.snapshot());
  }

  async status() {
    const [snapshot, records] = await Promise.all([this.state.snapshot(), this.state.recentRuns()]);
    const recent = summariesOf(records);
    const rateLimits = Object.fromEntries([...snapshot.last.values()].filter((l) => l.rateLimit).map((l) => [l.provider, l.rateLimit]));
    return {
      running: this.running(snapshot),
      lastRun: recent[0] ?? null,
      lastSuccessAt: lastGoodOf(snapshot, recent)?.at ?? null,
      providers: this.selection.describe(snapshot).map((p) => ({ ...p, rateLimit: rateLimits[p.name] ?? null, lastRun: lastOutcomeOf(recent, p.name) })),
      rateLimits,
      chains: this.selection.chains().map((order) => chainView(order, recent, snapshot)),
      recentRuns: recent.map(({ runId, trigger, startedAt, outcome, fetched, published, rejected, unchanged, errors, skipped, providers }) => ({
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

  private running(snapshot: StateSnapshot): RunningRun | null {
    const lease = snapshot.leases.ingest as { holder?: string; expiresAt?: number; acquiredAt?: string; runId?: string } | null;
    if (!lease || (lease.expiresAt ?? 0) <= this.now().getTime()) return null;
    return { runId: lease.runId ?? null, startedAt: lease.acquiredAt ?? '', holder: lease.holder ?? null };
  }
}

function summariesOf(records: RunRecord[]): RunSummary[] {
  return records.flatMap((r) => (r.summary ? [r.summary as unknown as RunSummary] : []));
}

/**
 * The later of the newest good run among the recent ones and the one the ingest lease names (its
 * release records each good run, so one older than the recent runs is known too).
 */
function lastGoodOf(snapshot: StateSnapshot, recent: RunSummary[]): GoodRun | null {
  const lease = snapshot.leases.ingest;
  const fromLease = lease && typeof lease.lastGoodAt === 'string' ? { at: lease.lastGoodAt, how: typeof lease.lastGoodHow === 'string' ? lease.lastGoodHow : '' } : null;
  const run = recent.find(isGoodRun);
  const fromRuns = run ? { at: run.finishedAt, how: `run ${run.runId} (${run.outcome})` } : null;
  if (!fromLease || !fromRuns) return fromLease ?? fromRuns;
  return fromLease.at >= fromRuns.at ? fromLease : fromRuns;
}

function chainView(order: ProviderName[], recent: RunSummary[], snapshot: StateSnapshot): ChainView {
  const chain = order.join('>');
  const last = recent[0];
  const outcome = last?.chains.find((c) => c.chain === chain);
  // an instrument two providers of the chain served goes to the one that served it last
  const served = new Map<string, InstrumentServed>();
  for (const provider of order) {
    const item = snapshot.last.get(provider);
    for (const [symbol, series] of item?.quotes ?? []) {
      const key = `${symbol}#${series ?? ''}`;
      const seen = served.get(key);
      if (!seen || seen.at < item!.observedAt) served.set(key, { symbol, series, servedBy: provider, at: item!.observedAt });
    }
  }
  const instruments = [...served.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
  return { chain, order, servedBy: outcome?.servedBy ?? null, failedOver: outcome?.failedOver ?? [], lastRunAt: last?.finishedAt ?? null, instruments };
}

/** The provider's part of the latest run that called or skipped it, with a sentence for people. */
function lastOutcomeOf(recent: RunSummary[], name: ProviderName): (ProviderOutcome & { at: string; says: string }) | null {
  const run = recent.find((r) => r.providers[name]);
  const outcome = run?.providers[name];
  return run && outcome ? { ...outcome, at: run.finishedAt, says: describeOutcome(outcome) } : null;
}

