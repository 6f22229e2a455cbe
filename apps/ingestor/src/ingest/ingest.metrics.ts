import { CloudWatchMetrics } from '@app/common';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RunHistory } from './run-history';
import { isGoodRun, type RunSummary } from './run-summary';

/** What one provider contributed to a run, as the metrics count it. */
export interface ProviderCounts {
  provider: string;
  fetched: number;
  published: number;
  unpublished: number;
  unchanged: number;
  rejectedByReason: Record<string, number>;
}

/**
 * Prometheus series of the ingest runs (`quoteflow_ingest_*`, `quoteflow_quotes_*`), the market
 * state alert rules gate on (`quoteflow_market_open`), the providers' pauses
 * (`quoteflow_provider_paused`), and the same figures for CloudWatch, written once per run.
 */
@Injectable()
export class IngestMetrics {
  private readonly runs: Counter<'trigger' | 'outcome'>;
  private readonly runDuration: Histogram;
  private readonly fetched: Counter<'provider'>;
  private readonly published: Counter<'provider'>;
  private readonly unpublished: Counter<'provider'>;
  private readonly unchanged: Counter<'provider'>;
  private readonly rejected: Counter<'provider' | 'reason'>;
  private readonly failovers: Counter<'from' | 'to'>;

  constructor(
    registry: Registry,
    private readonly history: RunHistory,
    private readonly cloudWatch?: CloudWatchMetrics,
  ) {
    const registers = [registry];
    this.runs = new Counter({ name: 'quoteflow_ingest_runs_total', help: 'Ingest runs by trigger and outcome (ok, partial, failed, skipped)', labelNames: ['trigger', 'outcome'], registers });
    this.runDuration = new Histogram({
      name: 'quoteflow_ingest_run_duration_seconds',
      help: 'Wall time of one ingest run, upstream calls and publishing included',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    new Gauge({
      name: 'quoteflow_ingest_last_success_timestamp_seconds',
      help: 'Unix time of the last good run of any instance: ok or partial, or nothing to do as every market was closed (alert on time() minus this)',
      registers,
      // read at scrape time from the record that /status and readiness read too
      async collect() {
        const good = await history.lastGood();
        if (good) this.set(Date.parse(good.at) / 1000);
      },
    });
    {
      new Gauge({
        name: 'quoteflow_market_open',
        help: '1 while the market of the provider is open under MARKET_HOURS (its exchange calendar: weekends, holidays and special sessions included), else 0; alert rules page on a stale feed only while it is 1',
        labelNames: ['provider', 'market'],
        registers,
        async collect() {
          const providers = await history.providers();
          this.reset();
          for (const p of providers) this.set({ provider: p.name, market: marketLabel(p.marketState) }, p.marketOpen ? 1 : 0);
        },
      });
      new Gauge({
        name: 'quoteflow_provider_paused',
        help: '1 while scheduled calls of the provider are paused, by reason: quota (exhausted, until the announced reset) or auth (the key was rejected, until a manual run gets through)',
        labelNames: ['provider', 'reason'],
        registers,
        // the pauses of every process, from the shared table
        async collect() {
          const providers = await history.providers();
          this.reset();
          for (const p of providers) {
            for (const reason of ['quota', 'auth'] as const) this.set({ provider: p.name, reason }, p.blocked?.reason === reason ? 1 : 0);
          }
        },
      });
    }
    const perProvider = (name: string, help: string) => new Counter({ name, help, labelNames: ['provider'], registers });
    this.fetched = perProvider('quoteflow_quotes_fetched_total', 'Upstream rows seen (after the SYMBOLS filter)');
    this.published = perProvider('quoteflow_quotes_published_total', 'Quotes sent to the SQS queue');
    this.unpublished = perProvider('quoteflow_quotes_unpublished_total', 'Valid quotes SQS did not take (offered again next run)');
    this.unchanged = perProvider('quoteflow_quotes_unchanged_total', 'Valid rows not published because their quote time had not changed');
    this.rejected = new Counter({
      name: 'quoteflow_quotes_rejected_total',
      help: 'Upstream rows refused by validation or by the provider, by reason',
      labelNames: ['provider', 'reason'],
      registers,
    });
    this.failovers = new Counter({
      name: 'quoteflow_ingest_failovers_total',
      help: 'Hand-overs within a failover chain: provider `from` failed or was paused, so `to` was called in the same run',
      labelNames: ['from', 'to'],
      registers,
    });
  }

  provider(counts: ProviderCounts): void {
    const labels = { provider: counts.provider };
    this.fetched.inc(labels, counts.fetched);
    this.published.inc(labels, counts.published);
    this.unpublished.inc(labels, counts.unpublished);
    this.unchanged.inc(labels, counts.unchanged);
    for (const [reason, n] of Object.entries(counts.rejectedByReason)) this.rejected.inc({ ...labels, reason }, n);
  }

  async run(summary: RunSummary): Promise<void> {
    const seconds = (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000;
    this.runs.inc({ trigger: summary.trigger, outcome: summary.outcome });
    this.runDuration.observe(seconds);
    for (const { from, to } of summary.chains.flatMap((c) => c.failedOver)) this.failovers.inc({ from, to });
    if (this.cloudWatch?.enabled) await this.publishRun(this.cloudWatch, summary, seconds);
  }

  /**
   * One run's figures for CloudWatch, flushed at once (on Lambda the process may freeze right
   * after). `IngestRunsGood` and `MarketOpen` are what the stale-feed alarm combines: every
   * scheduled run writes both, closed market or not, so missing figures mean no run at all.
   */
  private async publishRun(cw: CloudWatchMetrics, summary: RunSummary, seconds: number): Promise<void> {
    cw.add('IngestRuns', 1);
    cw.add('IngestRunsGood', isGoodRun(summary) ? 1 : 0);
    cw.add('IngestRunsFailed', summary.outcome === 'failed' ? 1 : 0);
    cw.add('IngestRunDuration', seconds, 'Seconds');
    cw.add('QuotesFetched', summary.fetched);
    cw.add('QuotesPublished', summary.published);
    cw.add('QuotesRejected', summary.rejected);
    cw.add('QuotesUnpublished', summary.unpublished);
    // a run's figures go out even when the table cannot tell the pauses (then without those two)
    const providers = await this.history.providers().catch(() => null);
    if (providers) {
      cw.gauge('MarketOpen', providers.some((p) => p.marketOpen) ? 1 : 0);
      cw.gauge('ProvidersPaused', providers.filter((p) => p.blocked).length);
    }
    cw.flush();
  }
}

/** The `market` label: the exchange whose calendar decides, `custom` for a MARKET_HOURS window, `always` when no hours apply. */
function marketLabel(state: { exchange: string | null; basis: string }): string {
  return state.exchange ?? (state.basis === 'always-open' ? 'always' : 'custom');
}
