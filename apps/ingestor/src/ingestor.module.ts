import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsModule, DeadLetterAdmin, HealthModule, InjectConfig, QuoteflowConfigModule, quoteflowConfig, type QuoteflowConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DashboardController } from './dashboard/dashboard.controller';
import { DeadLettersController } from './admin/dead-letters.controller';
import { IngestCoordinator } from './ingest/ingest-coordinator';
import { IngestLease } from './ingest/ingest-lease';
import { IngestController } from './ingest/ingest.controller';
import { IngestScheduler } from './ingest/ingest.scheduler';
import { IngestService } from './ingest/ingest.service';
import { QuoteQueue } from './ingest/quote-queue';
import { MarketDataModule } from './market-data/market-data.module';
import { QuoteReader } from './quotes/quote-reader';
import { QuotesController } from './quotes/quotes.controller';
import { QuoteStream } from './quotes/quote-stream';
import { QuotesService } from './quotes/quotes.service';
import { SymbolsController } from './quotes/symbols.controller';
import { StatusController } from './status/status.controller';
import { checkIngestorConfig } from './ingestor.config';

@Module({
  imports: [QuoteflowConfigModule, AwsModule, ScheduleModule.forRoot(), HealthModule, MarketDataModule],
  controllers: [DashboardController, QuotesController, SymbolsController, IngestController, StatusController, DeadLettersController],
  providers: [
    IngestService,
    IngestScheduler,
    QuoteQueue,
    QuoteReader,
    QuotesService,
    QuoteStream,
    IngestLease,
    IngestCoordinator,
    {
      provide: DeadLetterAdmin,
      useFactory: (sqs: SQSClient, config: QuoteflowConfig) => DeadLetterAdmin.connect(sqs, config.queue),
      inject: [SQSClient, quoteflowConfig.KEY],
    },
  ],
})
export class IngestorModule {
  // every entry point (container, Lambda, tests) goes through here
  constructor(@InjectConfig() config: QuoteflowConfig) {
    checkIngestorConfig(config);
  }
}
