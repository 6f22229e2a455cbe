import { AwsModule, LoggingModule, MetricsModule, QuoteflowConfigModule } from '@app/common';
import { Module } from '@nestjs/common';
import { DeadLetterQueue } from '../dead-letters/dead-letter-queue';
import { QuoteWriter } from '../storage/quote-writer';
import { BatchMetrics } from './batch.metrics';
import { QuoteBatchService } from './quote-batch.service';

/**
 * The batch path and its adapters, without any way of receiving messages: the container adds an
 * SQS consumer on top, the Lambda handler uses it as it is (there the event source mapping polls).
 */
@Module({
  imports: [QuoteflowConfigModule, LoggingModule.forApp('processor'), MetricsModule.forApp('processor'), AwsModule],
  providers: [QuoteBatchService, BatchMetrics, QuoteWriter, DeadLetterQueue],
  exports: [QuoteBatchService, QuoteWriter, BatchMetrics],
})
export class QuoteBatchModule {}
