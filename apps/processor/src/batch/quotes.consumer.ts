import type { Message } from '@aws-sdk/client-sqs';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SqsConsumerEventHandler, SqsMessageHandler } from '@ssut/nestjs-sqs';
import { QuoteBatchService } from './quote-batch.service';
import { ReceiveGate } from './receive-gate';

/** Name of the quotes consumer registered with @ssut/nestjs-sqs. */
export const QUOTES_CONSUMER = 'quotes';

/** Container entry point: sqs-consumer hands over up to BATCH_SIZE messages per receive. */
@Injectable()
export class QuotesConsumer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QuotesConsumer.name);
  private stopping = false;
  private markStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.markStopped = resolve));

  constructor(
    private readonly batch: QuoteBatchService,
    private readonly gate: ReceiveGate,
  ) {}

  /** Returns exactly the messages to delete; the others become visible again after the visibility timeout. */
  @SqsMessageHandler(QUOTES_CONSUMER, true)
  async handle(messages: Message[]): Promise<Message[]> {
    const outcome = await this.batch.process(messages.map((m) => ({ messageId: m.MessageId ?? '', body: m.Body })));
    if (outcome.storeUnavailable) this.gate.storeUnavailable();
    else if (outcome.stored + outcome.duplicates) this.gate.storeAvailable();
    const done = new Set(outcome.done);
    return messages.filter((m) => done.has(m.MessageId ?? ''));
  }

  /**
   * Runs after @ssut/nestjs-sqs has told the consumer to stop (its `onModuleDestroy`, which does not
   * wait): cancels the long poll, then waits until the batch in flight is written and deleted, before
   * the SDK clients are closed.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.gate.stop();
    await this.stopped;
    this.logger.log('consumer stopped: every batch received was handled');
  }

  @SqsConsumerEventHandler(QUOTES_CONSUMER, 'stopped')
  onStopped(): void {
    this.markStopped();
  }

  @SqsConsumerEventHandler(QUOTES_CONSUMER, 'error')
  onError(err: Error): void {
    // the cancelled long poll of a shutdown reports itself as an error
    if (this.stopping) return;
    this.logger.error(`SQS consumer error: ${err.message}`);
  }

  @SqsConsumerEventHandler(QUOTES_CONSUMER, 'processing_error')
  onProcessingError(err: Error): void {
    this.logger.error(`batch handler failed: ${err.message}`);
  }
}
