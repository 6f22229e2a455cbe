import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueueUrls } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';

/** Adapter that moves a message that can never succeed to the DLQ at once, with the reason as attributes. */
@Injectable()
export class DeadLetterQueue {
  constructor(
    @Inject(SQSClient) private readonly sqs: SQSClient,
    // looked up at the first dead letter, not at start-up: most Lambda containers never send one
    @Inject(QueueUrls) private readonly urls: QueueUrls,
  ) {}

  async send(body: string | undefined, reason: string, sourceMessageId: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.urls.dlqUrl(),
        // SQS refuses an empty body; keep the original otherwise, byte for byte
        MessageBody: body || '(empty body)',
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason.slice(0, 1000) },
          sourceMessageId: { DataType: 'String', StringValue: sourceMessageId },
          deadLetteredAt: { DataType: 'String', StringValue: new Date().toISOString() },
        },
      }),
    );
  }
}
