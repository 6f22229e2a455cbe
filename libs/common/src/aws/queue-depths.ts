import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueUrls } from './queue-urls';

/** How many messages a queue holds, by state (SQS's approximate counts). */
export interface QueueDepth {
  /** Messages waiting to be received. */
  visible: number;
  /** Messages received and not yet deleted. */
  inFlight: number;
}

/** Reads the depth of a queue by URL (scripts and tests; the apps go through {@link QueueDepths}). */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/**
 * Adapter that reads the depth of the quotes queue and its DLQ (provided by `AwsModule`): for
 * `/status`, the queue gauge of `/metrics` and the readiness probe (a queue whose depth can be read
 * answers). Each call is one GetQueueAttributes; it rejects when SQS does not answer.
 */
export class QueueDepths {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: QueueUrls,
  ) {}

  async queue(): Promise<QueueDepth> {
    return queueDepth(this.sqs, await this.urls.queueUrl());
  }

  async deadLetters(): Promise<QueueDepth> {
    return queueDepth(this.sqs, await this.urls.dlqUrl());
  }

  /** Both depths, as `/status` shows them. */
  async both(): Promise<{ queue: QueueDepth; deadLetters: QueueDepth }> {
    const [queue, deadLetters] = await Promise.all([this.queue(), this.deadLetters()]);
    return { queue, deadLetters };
  }
}
