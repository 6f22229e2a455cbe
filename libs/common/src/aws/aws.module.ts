import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { QuoteflowConfig } from '../config/config';
import { quoteflowConfig } from '../config/config.module';
import { createDocumentClient, createSqsClient } from './aws-clients';
import { QueueDepths } from './queue-depths';
import { QueueUrls } from './queue-urls';
import { TableProbe } from './table-probe';

/**
 * Provides the SDK clients (by their class as token) to the adapters of both apps, and the adapters
 * every app shares: {@link QueueUrls} (one lookup per queue for the whole app), {@link QueueDepths}
 * and {@link TableProbe}.
 */
@Global()
@Module({
  providers: [
    { provide: SQSClient, useFactory: (c: QuoteflowConfig) => createSqsClient(c.aws), inject: [quoteflowConfig.KEY] },
    {
      provide: DynamoDBDocumentClient,
      useFactory: (c: QuoteflowConfig) => createDocumentClient(c.aws),
      inject: [quoteflowConfig.KEY],
    },
    { provide: QueueUrls, useFactory: (sqs: SQSClient, c: QuoteflowConfig) => new QueueUrls(sqs, c.queue), inject: [SQSClient, quoteflowConfig.KEY] },
    { provide: QueueDepths, useFactory: (sqs: SQSClient, urls: QueueUrls) => new QueueDepths(sqs, urls), inject: [SQSClient, QueueUrls] },
    {
      provide: TableProbe,
      useFactory: (dynamo: DynamoDBDocumentClient, c: QuoteflowConfig) => new TableProbe(dynamo, c.table.name),
      inject: [DynamoDBDocumentClient, quoteflowConfig.KEY],
    },
  ],
  exports: [SQSClient, DynamoDBDocumentClient, QueueUrls, QueueDepths, TableProbe],
})
export class AwsModule implements OnApplicationShutdown {
  constructor(
    @Inject(SQSClient) private readonly sqs: SQSClient,
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
  ) {}

  onApplicationShutdown(): void {
    this.sqs.destroy();
    this.dynamo.destroy();
  }
}
