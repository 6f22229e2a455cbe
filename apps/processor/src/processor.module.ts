import { SQSClient } from '@aws-sdk/client-sqs';
import { HealthModule, quoteflowConfig, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { SqsModule } from '@ssut/nestjs-sqs';
import { QuoteBatchModule } from './batch/quote-batch.module';
import { QUOTES_CONSUMER, QuotesConsumer } from './batch/quotes.consumer';

/** Long polling: one receive waits up to 20 s for messages instead of returning empty at once. */
const WAIT_TIME_SECONDS = 20;

/** The container app: polls the queue itself and serves /health. */
@Module({
  imports: [
    QuoteBatchModule,
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
  providers: [QuotesConsumer],
})
export class ProcessorModule {}
