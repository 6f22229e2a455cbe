import { decodeQuoteMessage, PoisonMessageError, withLogContext } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { DeadLetterQueue } from '../dead-letters/dead-letter-queue';
import { QuoteWriter, StoreUnavailableError } from '../storage/quote-writer';
import { BatchMetrics, type MessageOutcome } from './batch.metrics';

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
    private readonly metrics: BatchMetrics,
  ) {}

  /** Every log line of the batch carries `batchId` (its first message id), those of one message its `messageId` too. */
  process(records: QueueRecord[]): Promise<BatchOutcome> {
    return withLogContext({ batchId: records[0]?.messageId ?? '' }, () => this.processBatch(records));
  }

  private async processBatch(records: QueueRecord[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { done: [], failed: [], stored: 0, duplicates: 0, deadLettered: 0, storeUnavailable: 0 };
    // each message on its own: one bad message never holds back its neighbours. The store() calls
    // all happen in this turn (nothing is awaited before them), so the writer writes them as one batch.
    const results = await Promise.all(records.map((r) => withLogContext({ messageId: r.messageId }, () => this.processOne(r))));
    results.forEach((result, i) => {
      this.metrics.message(result);
      const id = records[i].messageId;
      if (result === 'failed' || result === 'store_unavailable') {
        outcome.failed.push(id);
        if (result === 'store_unavailable') outcome.storeUnavailable++;
        return;
      }
      outcome.done.push(id);
      if (result === 'stored') outcome.stored++;
      else if (result === 'duplicate') outcome.duplicates++;
      else outcome.deadLettered++;
    });
    this.metrics.batch(records.length);
    this.logger.log(
      `batch of ${records.length}: stored=${outcome.stored} duplicates=${outcome.duplicates} dead-lettered=${outcome.deadLettered} failed=${outcome.failed.length}`,
    );
    return outcome;
  }

  private async processOne(record: QueueRecord): Promise<MessageOutcome> {
    const started = performance.now();
    try {
      const message = decodeQuoteMessage(record.body);
      const insertedAt = new Date().toISOString();
      const result = await this.writer.store(message.quote, insertedAt);
      this.metrics.write(result, (performance.now() - started) / 1000);
      if (result === 'stored') this.metrics.stored(message.quote.quoteTime, message.fetchedAt, insertedAt);
      return result;
    } catch (err) {
      if (err instanceof PoisonMessageError) return this.deadLetter(record, err);
      this.metrics.write('error', (performance.now() - started) / 1000);
      if (err instanceof StoreUnavailableError) return 'store_unavailable';
      this.logger.warn(`message ${record.messageId} not stored, it stays on the queue: ${(err as Error).name}: ${(err as Error).message}`);
      return 'failed';
    }
  }

  private async deadLetter(record: QueueRecord, { kind, reason }: PoisonMessageError): Promise<'dead_lettered' | 'failed'> {
    try {
      await this.deadLetters.send(record.body, reason, record.messageId);
      this.metrics.sentToDlq(kind);
      this.logger.warn(`message ${record.messageId} moved to the DLQ: ${reason}`);
      return 'dead_lettered';
    } catch (err) {
      this.logger.error(`message ${record.messageId} could not be moved to the DLQ: ${(err as Error).message}`);
      return 'failed';
    }
  }
}
