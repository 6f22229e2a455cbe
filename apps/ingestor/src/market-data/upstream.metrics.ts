import { CloudWatchMetrics } from '@app/common';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RateLimit } from './market-data-provider';

/** Prometheus series of the calls to the market-data upstreams (`quoteflow_upstream_*`). */
@Injectable()
export class UpstreamMetrics {
  private readonly requests: Counter<'provider' | 'status'>;
  private readonly duration: Histogram<'provider'>;
  private readonly quotaRemaining: Gauge<'provider'>;
  private readonly quotaLimit: Gauge<'provider'>;

  constructor(
    registry: Registry,
    private readonly cloudWatch?: CloudWatchMetrics,
  ) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'quoteflow_upstream_requests_total',
      help: 'HTTP requests to the upstream (each retry counts), by HTTP status or "network" for no answer',
      labelNames: ['provider', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'quoteflow_upstream_request_duration_seconds',
      help: 'Time of one upstream request attempt, until its answer or failure',
      labelNames: ['provider'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.quotaRemaining = new Gauge({
      name: 'quoteflow_upstream_quota_remaining',
      help: 'Requests left in the current quota period, as the RapidAPI gateway last reported it',
      labelNames: ['provider'],
      registers,
    });
    this.quotaLimit = new Gauge({
      name: 'quoteflow_upstream_quota_limit',
      help: 'Requests allowed per quota period, as the RapidAPI gateway last reported it',
      labelNames: ['provider'],
      registers,
    });
  }

  /** `status`: the HTTP status of the answer, or `null` when none came (timeout, network error). */
  request(provider: string, status: number | null, seconds: number, rateLimit: RateLimit | null): void {
    this.requests.inc({ provider, status: status === null ? 'network' : String(status) });
    this.duration.observe({ provider }, seconds);
    if (rateLimit?.remaining != null) {
      this.quotaRemaining.set({ provider }, rateLimit.remaining);
      this.cloudWatch?.addWithDimension('QuotaRemaining', rateLimit.remaining, 'Count', { name: 'provider', value: provider });
    }
    if (status === null || status >= 500) this.cloudWatch?.add('UpstreamErrors', 1);
    if (rateLimit?.limit != null) this.quotaLimit.set({ provider }, rateLimit.limit);
  }
}
