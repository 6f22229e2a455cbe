import { Injectable } from '@nestjs/common';
import { CloudWatchMetrics, type PoisonKind } from '@app/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type MessageOutcome = 'stored' | 'duplicate' | 'dead_lettered' | 'failed' | 'store_unavailable';

/** CloudWatch figure of each message outcome. */
const OUTCOME_FIGURES: Record<MessageOutcome, string> = {
  stored: 'MessagesStored',
  duplicate: 'MessagesDuplicate',
  dead_lettered: 'MessagesDeadLettered',
  failed: 'MessagesFailed',
  store_unavailable: 'MessagesStoreUnavailable',
};

/**
 * Prometheus series of the batch path (`quoteflow_batches_*`, `quoteflow_messages_*`, storage, DLQ,
 * lag), and the same figures for CloudWatch (flushed by the timer, and by the Lambda handler after
 * each invocation).
 */
@Injectable()
export class BatchMetrics {
  private readonly batches: Counter;
  private readonly batchSize: Histogram;
  private readonly messages: Counter<'outcome'>;
  private readonly duplicates: Counter;
  private readonly writeDuration: Histogram<'result'>;
  private readonly deadLettered: Counter<'reason'>;
  private readonly quoteAge: Histogram;
  private readonly pipelineLag: Histogram;
  private readonly paused: Gauge;

  constructor(
    registry: Registry,
    private readonly cloudWatch?: CloudWatchMetrics,
  ) {
    const registers = [registry];
    this.batches = new Counter({ name: 'quoteflow_batches_processed_total', help: 'Batches of messages handled (container consumer or Lambda)', registers });
    this.batchSize = new Histogram({ name: 'quoteflow_batch_messages', help: 'Messages per batch', buckets: [1, 2, 5, 8, 10], registers });
    this.messages = new Counter({
      name: 'quoteflow_messages_processed_total',
      help: 'Messages handled, by outcome: stored, duplicate (the same quote twice in one batch, or a backfilled bar whose minute holds a live quote), dead_lettered, failed or store_unavailable (left on the queue)',
      labelNames: ['outcome'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'quoteflow_duplicates_skipped_total',
      help:
        'Quotes whose instrument\'s latest record already held them (same quoteTime), so the conditional latest write changed nothing: redeliveries and re-publishes of the newest quote. History items are written blind (BatchWriteItem), so a repeated older quote is rewritten in place and counted as stored',
      registers,
    });
    this.writeDuration = new Histogram({
      name: 'quoteflow_storage_write_duration_seconds',
      help: 'Time to store one quote in DynamoDB, by result: until its batch\'s history items and its instrument\'s latest item are written',
      labelNames: ['result'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'quoteflow_dlq_sends_total',
      help: 'Messages moved to the DLQ by the processor because they can never be stored, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.quoteAge = new Histogram({
      name: 'quoteflow_quote_age_at_store_seconds',
      help: 'End-to-end lag: insertedAt minus the upstream quoteTime, for newly stored quotes (includes the upstream delay)',
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600, 14400, 86400],
      registers,
    });
    this.pipelineLag = new Histogram({
      name: 'quoteflow_pipeline_lag_seconds',
      help: 'Pipeline lag: insertedAt minus the time the ingestor fetched the quote, for newly stored quotes',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    });
    this.paused = new Gauge({
      name: 'quoteflow_receive_paused',
      help: '1 while the consumer receives nothing because DynamoDB is unavailable (messages wait in the queue)',
      registers,
    });
    this.paused.set(0);
  }

  /** Containers only (the receive gate); the CloudWatch gauge is written from the first pause on, and again with every flush. */
  receivePaused(paused: boolean): void {
    this.paused.set(paused ? 1 : 0);
    this.cloudWatch?.gauge('ReceivePaused', paused ? 1 : 0);
  }

  /** Writes the CloudWatch figures gathered so far (the Lambda handler, before its process may freeze). */
  flush(): void {
    this.cloudWatch?.flush();
  }

  batch(size: number): void {
    this.batches.inc();
    this.batchSize.observe(size);
    this.cloudWatch?.add('Batches', 1);
  }

  message(outcome: MessageOutcome): void {
    this.messages.inc({ outcome });
    if (outcome === 'duplicate') this.duplicates.inc();
    this.cloudWatch?.add(OUTCOME_FIGURES[outcome], 1);
  }

  write(result: 'stored' | 'duplicate' | 'error', seconds: number): void {
    this.writeDuration.observe({ result }, seconds);
  }

  stored(quoteTime: string, fetchedAt: string, insertedAt: string): void {
    const inserted = Date.parse(insertedAt);
    this.quoteAge.observe(Math.max(0, inserted - Date.parse(quoteTime)) / 1000);
    this.pipelineLag.observe(Math.max(0, inserted - Date.parse(fetchedAt)) / 1000);
    this.cloudWatch?.add('PipelineLag', Math.max(0, inserted - Date.parse(fetchedAt)) / 1000, 'Seconds');
  }

  /** Counted by the poison message's kind, not its reason in words, so the label stays low-cardinality. */
  sentToDlq(kind: PoisonKind): void {
    this.deadLettered.inc({ reason: kind });
    this.cloudWatch?.add('DeadLettersSent', 1);
  }
}
