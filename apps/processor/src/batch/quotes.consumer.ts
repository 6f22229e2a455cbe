import type { Message } from '@aws-sdk/client-sqs';
import { InjectConfig, type QuoteflowConfig } from '@app/common';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SqsConsumerEventHandler, SqsMessageHandler } from '@ssut/nestjs-sqs';
import { QuoteBatchService } from './quote-batch.service';
import { ReceiveGate } from './receive-gate';

/** Name of the (first) quotes consumer registered with @ssut/nestjs-sqs. */
export const QUOTES_CONSUMER = 'quotes';

/** Most receive loops one process runs (`PROCESSOR_POLLERS`). */
export const MAX_POLLERS = 4;

/** The consumer name of poller `index` (0-based): `quotes`, `quotes-2`, … */
export function pollerName(index: number): string {
  return index === 0 ? QUOTES_CONSUMER : `${QUOTES_CONSUMER}-${index + 1}`;
}

/**
 * Container entry point: sqs-consumer hands over up to BATCH_SIZE messages per receive, to each of
 * `PROCESSOR_POLLERS` receive loops on the same queue (while one waits on SQS or DynamoDB, another
 * works; each deletes only what its own batch stored).
 */
@Injectable()
export class QuotesConsumer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QuotesConsumer.name);
  private stopping = false;
  private running: number;
  private markStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.markStopped = resolve));

  constructor(
    private readonly batch: QuoteBatchService,
    private readonly gate: ReceiveGate,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.running = config.queue.pollers;
  }

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
   * Runs after @ssut/nestjs-sqs has told the consumers to stop (its `onModuleDestroy`, which does
   * not wait): cancels the long polls, then waits until every poller's batch in flight is written
   * and deleted, before the SDK clients are closed.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.gate.stop();
    await this.stopped;
    this.logger.log('consumer stopped: every batch received was handled');
  }

  @SqsConsumerEventHandler(QUOTES_CONSUMER, 'stopped')
  onStopped(): void {
    if (--this.running === 0) this.markStopped();
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

// @ssut/nestjs-sqs finds a consumer's handlers by method metadata that holds one consumer name, so
// the further pollers get methods of their own, each forwarding to the one above.
const forwarders = [
  ['handle', (name: string) => SqsMessageHandler(name, true)],
  ['onStopped', (name: string) => SqsConsumerEventHandler(name, 'stopped')],
  ['onError', (name: string) => SqsConsumerEventHandler(name, 'error')],
  ['onProcessingError', (name: string) => SqsConsumerEventHandler(name, 'processing_error')],
] as const;
for (let index = 1; index < MAX_POLLERS; index++) {
  for (const [method, decorator] of forwarders) {
    const key = `${method}For${pollerName(index)}`;
    const forward = function (this: QuotesConsumer, ...args: unknown[]) {
      return (this[method] as (...a: unknown[]) => unknown)(...args);
    };
    Object.defineProperty(QuotesConsumer.prototype, key, { value: forward, writable: true, configurable: true });
    decorator(pollerName(index))(QuotesConsumer.prototype, key, Object.getOwnPropertyDescriptor(QuotesConsumer.prototype, key)!);
  }
}
