import type { ProviderName } from '@app/common';
import type { UpstreamFailure } from '../market-data/upstream.error';

export type RunTrigger = 'cron' | 'manual' | 'startup';

/**
 * `ok`: everything called answered and its valid quotes were published; `partial`: some of it did;
 * `failed`: nothing was fetched, or nothing fetched could be published; `skipped`: not called.
 */
export type Outcome = 'ok' | 'partial' | 'failed' | 'skipped';

/** What one ingest run did; `POST /ingest/trigger` answers with it. */
export interface RunSummary {
  runId: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
  /** The run as a whole: `skipped` when no provider was called (market closed, quota pause, rejected key). */
  outcome: Outcome;
  /** Upstream rows seen (after the SYMBOLS filter). */
  fetched: number;
  published: number;
  /** Rows refused by validation or by the provider, in total and by reason. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Valid rows whose quote time has not changed since they were last published. */
  unchanged: number;
  /** Valid quotes that could not be published. */
  unpublished: number;
  errors: RunError[];
  /** Providers not called; `cause` for code, `reason` in words. */
  skipped: SkippedProvider[];
  /** The same run seen per provider: one entry for every configured provider, called or skipped. */
  providers: Partial<Record<ProviderName, ProviderOutcome>>;
  /** The same run seen per `MARKET_DATA_PROVIDER` item: which provider served it, and each failover. */
  chains: ChainOutcome[];
}

/** One failover chain's part of a run (a lone provider is a chain of one). */
export interface ChainOutcome {
  /** The chain as configured, e.g. `yahoo-finance>alpha-vantage`. */
  chain: string;
  /** Its providers in the order they are tried. */
  order: ProviderName[];
  /** The provider whose quotes the run took for this chain; `null` when none did (all failed, paused, or the market is closed). */
  servedBy: ProviderName | null;
  /** Each hand-over in order: `from` was paused or served no valid quote, so `to` was called in the same run. */
  failedOver: Failover[];
}

/** Why a provider handed its chain over: its upstream failure, `no_quotes`, or the pause it was skipped for. */
export type FailoverCause = RunError['failure'] | 'no_quotes' | 'stopped';

export interface Failover {
  from: ProviderName;
  to: ProviderName;
  cause: FailoverCause;
  /** The same in words: the upstream's error, or the pause. */
  reason: string;
}

export interface SkippedProvider {
  provider: ProviderName;
  /** `standby`: a provider before it in its failover chain served the run; the others are reasons not to call it. */
  cause: 'market_closed' | 'quota' | 'stopped' | 'standby';
  reason: string;
}

/** One provider's part of a run; `outcome` as in {@link Outcome}, for this provider alone. */
export interface ProviderOutcome {
  outcome: Outcome;
  fetched: number;
  published: number;
  rejected: number;
  /** The first rows it had rejected, by symbol (`FRESH-USD: missing_day_range`), to find them upstream. */
  rejections: string[];
  unchanged: number;
  /** Why it failed or stopped part-way, in words. */
  error?: string;
  /** Why it was not called. */
  reason?: string;
}

export interface RunError {
  provider: ProviderName | 'queue';
  /** What kind of failure, for callers that react to it (e.g. 429 on `quota`). */
  failure: UpstreamFailure | 'queue' | 'unexpected';
  message: string;
}

/** What the ingest service gathers while one provider runs; the rules below judge it. */
export interface ProviderRun {
  provider: ProviderName;
  fetched: number;
  /** Valid, changed quotes handed to the queue. */
  fresh: number;
  published: number;
  unpublished: number;
  unchanged: number;
  rejectedByReason: Record<string, number>;
  rejections: string[];
  upstreamError?: RunError;
}

/** A run's identity and times, as the service knows them when the providers are done. */
export interface RunFrame {
  runId: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
}

/** The error text of quotes SQS did not take, in the run's errors and in the provider's outcome. */
export function unpublishedMessage(count: number): string {
  return `${count} quote(s) could not be published to SQS`;
}

/**
 * The one outcome rule, for a provider and for a run: `failed` when the upstream failed and
 * nothing was fetched, or quotes were there to publish and none was; else `partial` when anything
 * went wrong; else `ok`.
 */
export function outcomeOf(t: { upstreamFailed: boolean; fetched: number; fresh: number; published: number; troubled: boolean }): Outcome {
  if ((t.upstreamFailed && t.fetched === 0) || (t.fresh > 0 && t.published === 0)) return 'failed';
  return t.troubled ? 'partial' : 'ok';
}

export function providerOutcome(run: ProviderRun): ProviderOutcome {
  const error = [run.upstreamError?.message, run.unpublished ? unpublishedMessage(run.unpublished) : null].filter(Boolean).join('; ') || undefined;
  const { fetched, fresh, published, rejections, unchanged } = run;
  const outcome = outcomeOf({ upstreamFailed: run.upstreamError !== undefined, fetched, fresh, published, troubled: error !== undefined });
  return { outcome, fetched, published, rejected: sum(Object.values(run.rejectedByReason)), rejections, unchanged, ...(error ? { error } : {}) };
}

/** The summary of a run from what each called provider gathered (`runs`), the providers left out and what each chain did. */
export function summariseRun(frame: RunFrame, runs: ProviderRun[], skipped: SkippedProvider[], chains: ChainOutcome[] = []): RunSummary {
  const rejectedByReason: Record<string, number> = {};
  for (const run of runs) {
    for (const [reason, n] of Object.entries(run.rejectedByReason)) rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + n;
  }
  const total = (field: 'fetched' | 'fresh' | 'published' | 'unchanged' | 'unpublished') => sum(runs.map((r) => r[field]));
  const [fetched, fresh, published, unchanged, unpublished] = (['fetched', 'fresh', 'published', 'unchanged', 'unpublished'] as const).map(total);
  const errors = runs.flatMap((r) => (r.upstreamError ? [r.upstreamError] : []));
  if (unpublished) errors.push({ provider: 'queue', failure: 'queue', message: unpublishedMessage(unpublished) });
  const providers: RunSummary['providers'] = {};
  for (const run of runs) providers[run.provider] = providerOutcome(run);
  for (const skip of skipped) providers[skip.provider] = { outcome: 'skipped', fetched: 0, published: 0, rejected: 0, rejections: [], unchanged: 0, reason: skip.reason };
  const upstreamFailed = runs.every((r) => r.upstreamError !== undefined);
  // a provider on standby is a chain working as meant, not trouble
  const leftOut = skipped.filter((s) => s.cause !== 'standby');
  return {
    ...frame,
    outcome: runs.length === 0 ? 'skipped' : outcomeOf({ upstreamFailed, fetched, fresh, published, troubled: errors.length > 0 || leftOut.length > 0 }),
    fetched,
    published,
    rejected: sum(Object.values(rejectedByReason)),
    rejectedByReason,
    unchanged,
    unpublished,
    errors,
    skipped,
    providers,
    chains,
  };
}

/**
 * A good run, for `/status` `lastSuccessAt`, the last-success metric and readiness alike: it
 * published quotes (`ok`, `partial`) or had nothing to do because every market was closed. A quota
 * pause, a rejected key or a failing upstream is not good.
 */
export function isGoodRun(summary: RunSummary): boolean {
  if (summary.outcome === 'ok' || summary.outcome === 'partial') return true;
  return summary.outcome === 'skipped' && summary.skipped.every((s) => s.cause === 'market_closed');
}

/** `ok: fetched 5, published 4, rejected 1, unchanged 0`; `failed: coingecko: upstream answered HTTP 500: …`. */
export function describeOutcome(o: ProviderOutcome): string {
  if (o.outcome === 'skipped') return `skipped: ${o.reason ?? 'not called'}`;
  const counts = `fetched ${o.fetched}, published ${o.published}, rejected ${o.rejected}, unchanged ${o.unchanged}`;
  return o.error ? `${o.outcome}: ${o.error} (${counts})` : `${o.outcome}: ${counts}`;
}

/** The one log line of a run, rejections summarised by reason rather than one line per row, and its level. */
export function runLogLine(s: RunSummary): { level: 'log' | 'debug' | 'warn'; text: string } {
  const reasons = Object.entries(s.rejectedByReason)
    .map(([reason, n]) => `${reason}=${n}`)
    .join(' ');
  const line =
    `run ${s.runId} (${s.trigger}) ${s.outcome}: fetched=${s.fetched} published=${s.published} ` +
    `unchanged=${s.unchanged} rejected=${s.rejected}${reasons ? ` [${reasons}]` : ''}`;
  if (s.outcome === 'ok') return { level: 'log', text: line };
  const notes = [
    ...s.errors.map((e) => e.message),
    ...s.skipped.map((k) => `${k.provider} skipped: ${k.reason}`),
    ...s.chains.flatMap((c) => c.failedOver.map((f) => `${f.from} failed over to ${f.to} (${f.cause})`)),
  ].join('; ');
  return { level: s.outcome === 'skipped' && s.errors.length === 0 ? 'debug' : 'warn', text: `${line}; ${notes}` };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
