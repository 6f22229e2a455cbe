import {
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { QueueUrls } from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';

/** SQS accepts at most 10 entries per SendMessageBatch. */
const SQS_BATCH_LIMIT = 10;
/** SendMessageBatch calls in flight at once: overlaps their round trips (`npm run bench`, ingest). */
export const PUBLISH_CONCURRENCY = 4;

export interface PublishResult {
  published: number;
  failed: number;
}

class EntriesFailed extends Error {}

// SQS answers that a later call may not get: throttling, server faults, and no answer at all
const THROTTLING = new Set(['ThrottlingException', 'RequestThrottled', 'RequestLimitExceeded', 'TooManyRequestsException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a failed SendMessageBatch call may succeed when sent again (the SDK's own retries used up). */
export function isTransientSqsError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return NETWORK_CODES.has(e.code ?? '') || e.name === 'TimeoutError';
  return status >= 500 || status === 429 || THROTTLING.has(e.name ?? '');
}

/** Adapter around SQS for the ingestor: publishes quote messages to the quotes queue. */
@Injectable()
export class QuoteQueue {
  private readonly logger = new Logger(QuoteQueue.name);
  // Entries listed in `Failed` of a 200 answer are re-sent a few times, and so is a whole call that
  // failed transiently after the SDK's own three attempts: the upstream row moves on, so a quote
  // not published now is gone (the soak lost quotes to a few seconds of SQS 500s without this).
  // A call that did reach SQS although it failed only makes a duplicate, which the processor's
  // idempotent write absorbs.
  private readonly resend = retry(
    handleWhen((err) => err instanceof EntriesFailed || isTransientSqsError(err)),
    { maxAttempts: 5, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }) },
  );

  constructor(
    @Inject(SQSClient) private readonly sqs: SQSClient,
    @Inject(QueueUrls) private readonly urls: QueueUrls,
  ) {}

  /** Publishes message bodies in batches of 10, re-sending failed entries; never throws for a partial failure. */
  async publish(bodies: string[]): Promise<PublishResult> {
    if (!bodies.length) return { published: 0, failed: 0 };
    let queueUrl: string;
    try {
      queueUrl = await this.urls.queueUrl();
    } catch (err) {
      this.logger.error(`${bodies.length} message(s) not published: queue URL unknown: ${(err as Error).message}`);
      return { published: 0, failed: bodies.length };
    }
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let start = 0; start < bodies.length; start += SQS_BATCH_LIMIT) {
      batches.push(bodies.slice(start, start + SQS_BATCH_LIMIT).map((body, i) => ({ Id: String(i), MessageBody: body })));
    }
    let failed = 0;
    const sendNext = async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        const refused = await this.sendBatch(queueUrl, batch); // not `failed += await …`: that reads `failed` before the wait
        failed += refused;
      }
    };
    await Promise.all(Array.from({ length: PUBLISH_CONCURRENCY }, sendNext));
    return { published: bodies.length - failed, failed };
  }

  /** Returns how many entries could not be sent. */
  private async sendBatch(QueueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<number> {
    let pending = entries;
    let refused = 0;
    try {
      await this.resend.execute(async () => {
        const { Failed = [] } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: pending }));
        // a sender fault (e.g. an invalid body) fails the same way every time: only the rest is re-sent
        const senderFaults = Failed.filter((f) => f.SenderFault);
        if (senderFaults.length) {
          refused += senderFaults.length;
          this.logger.error(`SQS refused ${senderFaults.length} message(s): ${senderFaults[0].Code} ${senderFaults[0].Message ?? ''}`);
        }
        const retryable = new Set(Failed.filter((f) => !f.SenderFault).map((f) => f.Id));
        pending = pending.filter((e) => retryable.has(e.Id));
        if (pending.length) throw new EntriesFailed();
      });
    } catch (err) {
      const reason = err instanceof EntriesFailed ? 'still listed as Failed after retries' : (err as Error).message;
      this.logger.error(`${pending.length} message(s) not published: ${reason}`);
    }
    return refused + pending.length;
  }
}
