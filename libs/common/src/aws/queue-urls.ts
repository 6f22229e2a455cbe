import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { onceUntilFailure } from '../app/once';

/** Resolves a queue name to the URL the service answers (emulators know a queue only by that URL). */
export async function resolveQueueUrl(sqs: SQSClient, queueName: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  if (!QueueUrl) throw new Error(`queue ${queueName} has no URL`);
  return QueueUrl;
}

/**
 * The URLs of the quotes queue and its DLQ, shared by every adapter of an app (provided by
 * `AwsModule`). Each is looked up on first use, not at start-up, so an app whose SQS is not up yet
 * still starts (readiness reports the queue down) and a Lambda cold start looks up only what its
 * invocation needs; a failed lookup is forgotten and the next use tries again, a successful one is
 * kept for the life of the process.
 */
export class QueueUrls {
  /** URL of the quotes queue (`QUEUE_NAME`). */
  readonly queueUrl: () => Promise<string>;
  /** URL of its dead-letter queue (`DLQ_NAME`). */
  readonly dlqUrl: () => Promise<string>;

  constructor(sqs: SQSClient, names: { name: string; dlqName: string }) {
    this.queueUrl = onceUntilFailure(() => resolveQueueUrl(sqs, names.name));
    this.dlqUrl = onceUntilFailure(() => resolveQueueUrl(sqs, names.dlqName));
  }
}
