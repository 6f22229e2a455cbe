import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsModule, HealthModule, QuoteflowConfigModule, quoteflowConfig, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { SqsModule } from '@ssut/nestjs-sqs';
import { QuoteBatchService } from './batch/quote-batch.service';
import { QUOTES_CONSUMER, QuotesConsumer } from './batch/quotes.consumer';
import { ReceiveGate } from './batch/receive-gate';
import { DeadLetterQueue } from './dead-letters/dead-letter-queue';
import { QuoteWriter } from './storage/quote-writer';

/** What the SQS module's factory needs besides the global clients: the gate, and the writer it probes. */
@Module({ providers: [QuoteWriter, ReceiveGate], exports: [QuoteWriter, ReceiveGate] })
class ReceiveGateModule {}

/** Long polling: one receive waits up to 20 s for messages instead of returning empty at once. */
const WAIT_TIME_SECONDS = 20;

@Module({
  imports: [
    QuoteflowConfigModule,
    AwsModule,
    HealthModule,
    ReceiveGateModule,
    SqsModule.registerAsync({
      imports: [ReceiveGateModule],
      inject: [quoteflowConfig.KEY, SQSClient, ReceiveGate],
      useFactory: async (config: QuoteflowConfig, sqs: SQSClient, gate: ReceiveGate) => ({
        consumers: [
          {
            name: QUOTES_CONSUMER,
            queueUrl: await resolveQueueUrl(sqs, config.queue.name),
            sqs: gate.consumerClient(sqs),
            batchSize: config.queue.batchSize,
            waitTimeSeconds: WAIT_TIME_SECONDS,
            preReceiveMessageCallback: () => gate.beforeReceive(),
            // On shutdown the gate cancels the long poll; the batch in flight is still written and
            // deleted. Past the visibility timeout SQS hands its messages out again anyway.
            pollingCompleteWaitTimeMs: Math.max(config.queue.visibilityTimeoutSeconds, 1) * 1000,
          },
        ],
      }),
    }),
  ],
  providers: [QuoteBatchService, QuotesConsumer, DeadLetterQueue],
})
export class ProcessorModule {}
