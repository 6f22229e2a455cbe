import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { queueDepth, type QueueDepth } from '../aws/queue-depths';
import type { QueueUrls } from '../aws/queue-urls';

/** One message in the DLQ, as `npm run dlq -- list` and `GET /admin/dlq` show it. */
export interface DeadLetter {
  messageId: string;
  /** Why it is here: the processor's `reason` attribute, or that SQS moved it after too many receives. */
  reason: string;
  /** Id of the message on the source queue, when the processor dead-lettered it. */
  sourceMessageId: string | null;
  /** When it was dead-lettered (processor) or first sent (moved by SQS), ISO-8601 UTC. */
  deadLetteredAt: string | null;
  body: string;
}

/** What a redrive did: an SQS message move task was started, or the messages were copied over here. */
export type RedriveResult =
  | { method: 'message-move-task'; taskHandle: string; approximateMessages: number }
  | { method: 'receive-send-delete'; moved: number; failed: number };

/** Reason shown for a message that SQS moved after `maxReceiveCount` receives (it carries no attribute). */
export const MAX_RECEIVES_REASON = 'maxReceiveCount exceeded: failed on every receive (moved by SQS)';

// SQS's own limit per receive / send / delete batch
const SQS_BATCH = 10;
// long enough to list or move a page of messages before SQS hands them out again
const HOLD_SECONDS = 30;
// an emulator (fauxqs) that does not know the action answers one of these
const UNSUPPORTED = new Set(['InvalidAction', 'UnknownOperationException', 'UnsupportedOperation', 'NotImplemented']);

/**
 * Adapter for the dead-letter queue of the quotes queue, shared by the `npm run dlq` command and the
 * ingestor's admin routes. Reading a queue means receiving from it: {@link list} receives, then makes
 * the messages visible again at once. Give it the SQS client of the caller (see `createSqsClient`)
 * and the app's {@link QueueUrls} (a script builds its own).
 */
export class DeadLetterAdmin {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: QueueUrls,
  ) {}

  async depth(): Promise<QueueDepth> {
    return queueDepth(this.sqs, await this.urls.dlqUrl());
  }

  /** Up to `limit` dead letters with their reasons; they stay in the DLQ, visible again when this returns. */
  async list(limit = 100): Promise<DeadLetter[]> {
    const seen = new Map<string, Message>();
    try {
      while (seen.size < limit) {
        const page = await this.receive(Math.min(SQS_BATCH, limit - seen.size));
        const fresh = page.filter((m) => m.MessageId && !seen.has(m.MessageId));
        if (!fresh.length) break;
        for (const m of fresh) seen.set(m.MessageId!, m);
      }
    } finally {
      await this.release([...seen.values()]);
    }
    return [...seen.values()].map(toDeadLetter);
  }

  /**
   * Moves every dead letter back to the source queue: with an SQS message move task where the
   * service supports it, otherwise by receiving, re-sending and deleting them here. The copy is
   * at-least-once (a crash between send and delete leaves a copy in both queues), which the
   * idempotent storage absorbs. At most the DLQ's depth at the start is moved, so messages that
   * fail again and come back while this runs are not moved in a loop.
   */
  async redrive(): Promise<RedriveResult> {
    const { visible } = await this.depth();
    try {
      const [source, dlq] = await Promise.all([this.urls.queueUrl(), this.urls.dlqUrl()].map(async (url) => this.arnOf(await url)));
      const { TaskHandle } = await this.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq, DestinationArn: source }));
      return { method: 'message-move-task', taskHandle: TaskHandle ?? '', approximateMessages: visible };
    } catch (err) {
      if (!UNSUPPORTED.has((err as Error).name)) throw err;
    }
    let moved = 0;
    let failed = 0;
    while (moved + failed < visible) {
      const page = await this.receive(Math.min(SQS_BATCH, visible - moved - failed));
      if (!page.length) break;
      const result = await this.copyBack(page);
      moved += result.moved;
      failed += result.failed;
    }
    return { method: 'receive-send-delete', moved, failed };
  }

  private async copyBack(page: Message[]): Promise<{ moved: number; failed: number }> {
    const byId = new Map(page.map((m, i) => [String(i), m]));
    const { Successful = [] } = await this.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: await this.urls.queueUrl(),
        // the body only: the reason attributes describe the dead letter, not the quote
        Entries: [...byId].map(([Id, m]) => ({ Id, MessageBody: m.Body ?? '' })),
      }),
    );
    const sent = Successful.map((s) => byId.get(s.Id ?? '')).filter((m): m is Message => Boolean(m));
    if (sent.length) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: await this.urls.dlqUrl(),
          Entries: sent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    const unsent = page.filter((m) => !sent.includes(m));
    await this.release(unsent);
    return { moved: sent.length, failed: unsent.length };
  }

  private async receive(max: number): Promise<Message[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: await this.urls.dlqUrl(),
        MaxNumberOfMessages: max,
        VisibilityTimeout: HOLD_SECONDS,
        // long polling asks every SQS server; a short poll may answer empty while messages wait
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    return Messages;
  }

  /** Makes received messages visible again at once. */
  private async release(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH) {
      const page = messages.slice(start, start + SQS_BATCH);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: await this.urls.dlqUrl(),
          Entries: page.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  private async arnOf(queueUrl: string): Promise<string> {
    const { Attributes } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    if (!Attributes?.QueueArn) throw new Error(`queue ${queueUrl} has no ARN`);
    return Attributes.QueueArn;
  }
}

function toDeadLetter(m: Message): DeadLetter {
  const attribute = (name: string) => m.MessageAttributes?.[name]?.StringValue ?? null;
  const sent = m.Attributes?.SentTimestamp;
  return {
    messageId: m.MessageId ?? '',
    reason: attribute('reason') ?? MAX_RECEIVES_REASON,
    sourceMessageId: attribute('sourceMessageId'),
    deadLetteredAt: attribute('deadLetteredAt') ?? (sent ? new Date(Number(sent)).toISOString() : null),
    body: m.Body ?? '',
  };
}
