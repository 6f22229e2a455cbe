import 'reflect-metadata';
import { CloudWatchMetrics, loadProcessConfig, onceUntilFailure, QuoteflowConfigModule, useStructuredLogs } from '@app/common';
import { NestFactory } from '@nestjs/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { QuoteBatchModule } from './batch/quote-batch.module';
import { BatchMetrics } from './batch/batch.metrics';
import { QuoteBatchService } from './batch/quote-batch.service';

// the batch module has no SQS consumer: in Lambda the event source mapping does the polling
const batchService = onceUntilFailure(async () => {
  const root = { module: QuoteBatchModule, imports: [QuoteflowConfigModule.forRoot(await loadProcessConfig())] };
  const app = useStructuredLogs(await NestFactory.createApplicationContext(root, { abortOnError: false, bufferLogs: true }));
  // the handler flushes after each invocation; a timer in a frozen container would not
  app.get(CloudWatchMetrics).stopTimer();
  return { service: app.get(QuoteBatchService), metrics: app.get(BatchMetrics) };
});

/**
 * SQS event source handler (`ReportBatchItemFailures`): answers only the messages whose write
 * failed, so SQS retries those and deletes the rest. A poison message is already in the DLQ and
 * counts as done.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const { service, metrics } = await batchService();
  const outcome = await service.process(event.Records.map((r) => ({ messageId: r.messageId, body: r.body })));
  metrics.flush();
  return { batchItemFailures: outcome.failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
