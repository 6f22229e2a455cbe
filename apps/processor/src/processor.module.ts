import { SQSClient } from '@aws-sdk/client-sqs';
import { HealthModule, quoteflowConfig, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { SqsModule } from '@ssut/nestjs-sqs';
import { QuoteBatchModule } from './batch/quote-batch.module';
import { pollerName, QuotesConsumer } from './batch/quotes.consumer';
import { ReceiveGate } from './batch/receive-gate';

/** What the SQS module's factory needs besides the global clients: the gate (it probes the batch path's writer). */
@Module({ imports: [QuoteBatchModule], providers: [ReceiveGate], exports: [ReceiveGate] })
class ReceiveGateModule {}

/** Long polling: one receive waits up to 20 s for messages instead of returning empty at once. */
const WAIT_TIME_SECONDS = 20;

/** The container app: polls the queue itself and serves /health. */
@Module({
  imports: [
    QuoteBatchModule,
    HealthModule,
    ReceiveGateModule,
    SqsModule.registerAsync({
      imports: [ReceiveGateModule],
      inject: [quoteflowConfig.KEY, SQSClient, ReceiveGate],
      useFactory: async (config: QuoteflowConfig, sqs: SQSClient, gate: ReceiveGate) => {
        const consumer = {
          queueUrl: await resolveQueueUrl(sqs, config.queue.name),
          sqs: gate.consumerClient(sqs),
          batchSize: config.queue.batchSize,
          waitTimeSeconds: WAIT_TIME_SECONDS,
          preReceiveMessageCallback: () => gate.beforeReceive(),
          // On shutdown the gate cancels the long polls; the batches in flight are still written and
          // deleted. Past the visibility timeout SQS hands their messages out again anyway.
          pollingCompleteWaitTimeMs: Math.max(config.queue.visibilityTimeoutSeconds, 1) * 1000,
        };
        // PROCESSOR_POLLERS receive loops on the one queue (see QuotesConsumer)
        return { consumers: Array.from({ length: config.queue.pollers }, (_, i) => ({ name: pollerName(i), ...consumer })) };
      },
    }),
  ],
  providers: [QuotesConsumer],
})
export class ProcessorModule {}
