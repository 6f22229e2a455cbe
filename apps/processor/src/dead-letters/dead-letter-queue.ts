import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InjectConfig, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';

/** Adapter that moves a message that can never succeed to the DLQ at once, with the reason as attributes. */
@Injectable()
export class DeadLetterQueue implements OnModuleInit {
  private url = '';

  constructor(
    @Inject(SQSClient) private readonly sqs: SQSClient,
    @InjectConfig() private readonly config: QuoteflowConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.url = await resolveQueueUrl(this.sqs, this.config.queue.dlqName);
  }

  async send(body: string | undefined, reason: string, sourceMessageId: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.url,
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
