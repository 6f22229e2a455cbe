import type { Message } from '@aws-sdk/client-sqs';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SqsConsumerEventHandler, SqsMessageHandler } from '@ssut/nestjs-sqs';
import { QuoteBatchService } from './quote-batch.service';

/** Name of the quotes consumer registered with @ssut/nestjs-sqs. */
export const QUOTES_CONSUMER = 'quotes';

/** Container entry point: sqs-consumer hands over up to BATCH_SIZE messages per receive. */
@Injectable()
export class QuotesConsumer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QuotesConsumer.name);
  private stopping = false;

  constructor(private readonly batch: QuoteBatchService) {}

  /** Returns exactly the messages to delete; the others become visible again after the visibility timeout. */
  @SqsMessageHandler(QUOTES_CONSUMER, true)
  async handle(messages: Message[]): Promise<Message[]> {
    const outcome = await this.batch.process(messages.map((m) => ({ messageId: m.MessageId ?? '', body: m.Body })));
    this.logger.log(
      `batch of ${messages.length}: stored=${outcome.stored} duplicates=${outcome.duplicates} dead-lettered=${outcome.deadLettered} failed=${outcome.failed.length}`,
    );
    const done = new Set(outcome.done);
    return messages.filter((m) => done.has(m.MessageId ?? ''));
  }

  /** Runs before the SQS module stops the consumer, whose aborted long poll then reports an error. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  @SqsConsumerEventHandler(QUOTES_CONSUMER, 'error')
  onError(err: Error): void {
    if (this.stopping) return;
    this.logger.error(`SQS consumer error: ${err.message}`);
  }

  @SqsConsumerEventHandler(QUOTES_CONSUMER, 'processing_error')
  onProcessingError(err: Error): void {
    this.logger.error(`batch handler failed: ${err.message}`);
  }
}
