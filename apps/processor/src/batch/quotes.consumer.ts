import type { Message } from '@aws-sdk/client-sqs';
import { Injectable } from '@nestjs/common';
import { QuoteBatchService } from './quote-batch.service';
import { ReceiveGate } from './receive-gate';

/**
 * The container's batch handler, run by each receive loop of `QueuePollers` on up to
 * BATCH_SIZE messages: hands them to the one batch path and tells the receive gate whether the
 * table took them.
 */
@Injectable()
export class QuotesConsumer {
  constructor(
    private readonly batch: QuoteBatchService,
    private readonly gate: ReceiveGate,
  ) {}

  /** Returns exactly the messages to delete; the others become visible again after the visibility timeout. */
  async handle(messages: Message[]): Promise<Message[]> {
    const outcome = await this.batch.process(messages.map((m) => ({ messageId: m.MessageId ?? '', body: m.Body })));
    if (outcome.storeUnavailable) this.gate.storeUnavailable();
    else if (outcome.stored + outcome.duplicates) this.gate.storeAvailable();
    const done = new Set(outcome.done);
    return messages.filter((m) => done.has(m.MessageId ?? ''));
  }
}
