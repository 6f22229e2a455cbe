import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QuoteflowError, TableProbe } from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchMetrics } from './batch.metrics';

/** The consumer is shutting down: no further receive. */
export class ReceivingStoppedError extends QuoteflowError {
  constructor() {
    super('the consumer is stopping: no further receive');
  }
}

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 5_000;

/**
 * Decides when the consumer may receive the next batch.
 *
 * - While the table is unavailable it receives nothing: messages wait in the queue instead of
 *   being received, failed and counted towards `maxReceiveCount` again and again, so an outage of
 *   DynamoDB does not push good quotes into the DLQ. It probes the table with a growing pause and
 *   lets the consumer go on once the table answers.
 * - On shutdown ({@link stop}) the long poll in progress is cancelled and no receive starts, while
 *   a batch already received is still written and deleted (sqs-consumer's own `abort` would cancel
 *   that batch's DeleteMessageBatch too).
 */
@Injectable()
export class ReceiveGate {
  private readonly logger = new Logger(ReceiveGate.name);
  private readonly stopping = new AbortController();
  private pauseMs = 0;
  private recovery: Promise<void> | null = null;

  constructor(
    @Inject(TableProbe) private readonly table: TableProbe,
    private readonly metrics: BatchMetrics,
  ) {}

  /** sqs-consumer's `preReceiveMessageCallback`: waits while the table is unavailable. */
  async beforeReceive(): Promise<void> {
    if (this.stopping.signal.aborted) throw new ReceivingStoppedError();
    if (this.recovery) await this.recovery;
  }

  /** After a batch that the table could not take: receive nothing until it answers again. */
  storeUnavailable(): void {
    this.pauseMs = Math.min(Math.max(this.pauseMs * 2, FIRST_PAUSE_MS), LONGEST_PAUSE_MS);
    if (this.recovery) return;
    this.metrics.receivePaused(true);
    this.recovery = this.waitForStore().finally(() => {
      this.recovery = null;
      this.metrics.receivePaused(false);
    });
    // a stop while waiting rejects it; whoever waits on it (beforeReceive) sees that, nobody else must
    this.recovery.catch(() => undefined);
  }

  /** After a batch the table took: the next outage starts again with a short pause. */
  storeAvailable(): void {
    this.pauseMs = 0;
  }

  /** No further receive; cancels the long poll in progress. */
  stop(): void {
    this.stopping.abort(new ReceivingStoppedError());
  }

  /** The consumer's SQS client: the same client, but {@link stop} cancels its ReceiveMessage calls (and only those). */
  consumerClient(sqs: SQSClient): SQSClient {
    const stopping = this.stopping.signal;
    const send = ((command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> => {
      if (!(command instanceof ReceiveMessageCommand)) return sqs.send(command as never, options as never);
      const signals = options?.abortSignal ? [options.abortSignal, stopping] : [stopping];
      return sqs.send(command, { ...options, abortSignal: AbortSignal.any(signals) } as never);
    }) as SQSClient['send'];
    return new Proxy(sqs, { get: (target, prop, receiver) => (prop === 'send' ? send : (Reflect.get(target, prop, receiver) as unknown)) });
  }

  private async waitForStore(): Promise<void> {
    this.logger.warn(`table unavailable: no receive until it answers (next check in ${this.pauseMs} ms)`);
    for (;;) {
      try {
        await sleep(this.pauseMs, undefined, { signal: this.stopping.signal });
      } catch {
        throw new ReceivingStoppedError();
      }
      try {
        await this.table.status();
        this.logger.log('table answers again: receiving');
        return;
      } catch (err) {
        this.pauseMs = Math.min(this.pauseMs * 2, LONGEST_PAUSE_MS);
        this.logger.debug(`table still unavailable: ${(err as Error).message}`);
      }
    }
  }
}
