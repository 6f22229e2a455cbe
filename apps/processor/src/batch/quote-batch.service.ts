import { decodeQuoteMessage, PoisonMessageError } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { DeadLetterQueue } from '../dead-letters/dead-letter-queue';
import { QuoteWriter, StoreUnavailableError } from '../storage/quote-writer';

/** One received message, whichever way it arrived (container consumer or Lambda event). */
export interface QueueRecord {
  messageId: string;
  body: string | undefined;
}

export interface BatchOutcome {
  /** Messages that are done with: stored, already stored, or moved to the DLQ. Delete these. */
  done: string[];
  /** Messages that failed transiently: leave them on the queue to be received again. */
  failed: string[];
  stored: number;
  duplicates: number;
  deadLettered: number;
  /** How many of the failed messages failed because the table was unavailable (not because of the message). */
  storeUnavailable: number;
}

/** The one batch path, behind the SQS consumer and the Lambda handler. */
@Injectable()
export class QuoteBatchService {
  private readonly logger = new Logger(QuoteBatchService.name);

  constructor(
    private readonly writer: QuoteWriter,
    private readonly deadLetters: DeadLetterQueue,
  ) {}

  async process(records: QueueRecord[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { done: [], failed: [], stored: 0, duplicates: 0, deadLettered: 0, storeUnavailable: 0 };
    // each message on its own: one bad message never holds back its neighbours
    const results = await Promise.all(records.map((r) => this.processOne(r)));
    results.forEach((result, i) => {
      const id = records[i].messageId;
      if (result === 'failed' || result === 'unavailable') {
        outcome.failed.push(id);
        if (result === 'unavailable') outcome.storeUnavailable++;
        return;
      }
      outcome.done.push(id);
      if (result === 'stored') outcome.stored++;
      else if (result === 'duplicate') outcome.duplicates++;
      else outcome.deadLettered++;
    });
    return outcome;
  }

  private async processOne(record: QueueRecord): Promise<'stored' | 'duplicate' | 'dead-lettered' | 'failed' | 'unavailable'> {
    try {
      const message = decodeQuoteMessage(record.body);
      return await this.writer.store(message.quote, new Date().toISOString());
    } catch (err) {
      if (err instanceof PoisonMessageError) return this.deadLetter(record, err.reason);
      if (err instanceof StoreUnavailableError) return 'unavailable';
      this.logger.warn(`message ${record.messageId} not stored, it stays on the queue: ${(err as Error).name}: ${(err as Error).message}`);
      return 'failed';
    }
  }

  private async deadLetter(record: QueueRecord, reason: string): Promise<'dead-lettered' | 'failed'> {
    try {
      await this.deadLetters.send(record.body, reason, record.messageId);
      this.logger.warn(`message ${record.messageId} moved to the DLQ: ${reason}`);
      return 'dead-lettered';
    } catch (err) {
      this.logger.error(`message ${record.messageId} could not be moved to the DLQ: ${(err as Error).message}`);
      return 'failed';
    }
  }
}
