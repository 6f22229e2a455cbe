import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { QuoteflowConfig } from '../config/config';
import { quoteflowConfig } from '../config/config.module';
import { createDocumentClient, createSqsClient } from './aws-clients';

/** Provides the SDK clients (by their class as token) to the adapters of both apps. */
@Global()
@Module({
  providers: [
    { provide: SQSClient, useFactory: (c: QuoteflowConfig) => createSqsClient(c.aws), inject: [quoteflowConfig.KEY] },
    {
      provide: DynamoDBDocumentClient,
      useFactory: (c: QuoteflowConfig) => createDocumentClient(c.aws),
      inject: [quoteflowConfig.KEY],
    },
  ],
  exports: [SQSClient, DynamoDBDocumentClient],
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
