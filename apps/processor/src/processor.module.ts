import { SQSClient } from '@aws-sdk/client-sqs';
import { HealthModule, QueueUrls, quoteflowConfig, type QuoteflowConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { QueuePollers } from './batch/queue-pollers';
import { QuoteBatchModule } from './batch/quote-batch.module';
import { QuotesConsumer } from './batch/quotes.consumer';
import { ReceiveGate } from './batch/receive-gate';

/** The container app: polls the queue itself (the Lambda handler uses QuoteBatchModule alone) and serves /health. */
@Module({
  imports: [QuoteBatchModule, HealthModule],
  providers: [
    ReceiveGate,
    QuotesConsumer,
    {
      provide: QueuePollers,
      inject: [quoteflowConfig.KEY, SQSClient, QueueUrls, ReceiveGate, QuotesConsumer],
      // the loops need the queue's URL: unlike the lookups on demand elsewhere, a processor without its queue does not start
      useFactory: async (config: QuoteflowConfig, sqs: SQSClient, urls: QueueUrls, gate: ReceiveGate, consumer: QuotesConsumer) =>
        new QueuePollers({
          sqs: gate.consumerClient(sqs),
          queueUrl: await urls.queueUrl(),
          pollers: config.queue.pollers,
          batchSize: config.queue.batchSize,
          stopWaitMs: Math.max(config.queue.visibilityTimeoutSeconds, 1) * 1000,
          handleBatch: (messages) => consumer.handle(messages),
          beforeReceive: () => gate.beforeReceive(),
          stopReceiving: () => gate.stop(),
        }),
    },
  ],
})
export class ProcessorModule {}
