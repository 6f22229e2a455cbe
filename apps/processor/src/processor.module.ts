import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsModule, HealthModule, QuoteflowConfigModule, quoteflowConfig, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { SqsModule } from '@ssut/nestjs-sqs';
import { QuoteBatchService } from './batch/quote-batch.service';
import { QUOTES_CONSUMER, QuotesConsumer } from './batch/quotes.consumer';
import { DeadLetterQueue } from './dead-letters/dead-letter-queue';
import { QuoteWriter } from './storage/quote-writer';

/** Long polling: one receive waits up to 20 s for messages instead of returning empty at once. */
const WAIT_TIME_SECONDS = 20;

@Module({
  imports: [
    QuoteflowConfigModule,
    AwsModule,
    HealthModule,
    SqsModule.registerAsync({
      inject: [quoteflowConfig.KEY, SQSClient],
      useFactory: async (config: QuoteflowConfig, sqs: SQSClient) => ({
        consumers: [
          {
            name: QUOTES_CONSUMER,
            queueUrl: await resolveQueueUrl(sqs, config.queue.name),
            sqs,
            batchSize: config.queue.batchSize,
            waitTimeSeconds: WAIT_TIME_SECONDS,
            // on shutdown: stop the long poll now, and let the batch in flight finish (up to 10 s)
            pollingCompleteWaitTimeMs: 10_000,
            stopOptions: { abort: true },
          },
        ],
      }),
    }),
  ],
  providers: [QuoteBatchService, QuotesConsumer, QuoteWriter, DeadLetterQueue],
})
export class ProcessorModule {}
