import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** Prometheus series of backfill (`quoteflow_backfill_*`). */
@Injectable()
export class BackfillMetrics {
  private readonly calls: Counter<'provider' | 'outcome'>;
  private readonly published: Counter<'provider'>;
  private readonly rejected: Counter<'provider'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.calls = new Counter({
      name: 'quoteflow_backfill_calls_total',
      help: 'History calls of backfill by provider and outcome (ok, failed, quota; budget_spent = a call the budget refused)',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    this.published = new Counter({ name: 'quoteflow_backfill_quotes_total', help: 'Backfilled bars sent to the SQS queue', labelNames: ['provider'], registers });
    this.rejected = new Counter({ name: 'quoteflow_backfill_rejected_total', help: 'History bars refused by validation', labelNames: ['provider'], registers });
  }

  call(provider: string, outcome: 'ok' | 'failed' | 'quota' | 'budget_spent'): void {
    this.calls.inc({ provider, outcome });
  }

  quotes(provider: string, published: number, rejected: number): void {
    if (published) this.published.inc({ provider }, published);
    if (rejected) this.rejected.inc({ provider }, rejected);
  }
}
