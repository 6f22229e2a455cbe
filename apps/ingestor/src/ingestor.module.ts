import { SQSClient } from '@aws-sdk/client-sqs';
import {
  AwsModule,
  DeadLetterAdmin,
  exchangeCalendars,
  HealthModule,
  InjectConfig,
  LoggingModule,
  MetricsModule,
  QueueUrls,
  QuoteflowConfigModule,
  type QuoteflowConfig,
} from '@app/common';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { BackfillController } from './backfill/backfill.controller';
import { BackfillLedger } from './backfill/backfill-ledger';
import { BackfillMetrics } from './backfill/backfill.metrics';
import { BackfillScheduler } from './backfill/backfill.scheduler';
import { BackfillService } from './backfill/backfill.service';
import { QUALITY_PROVIDERS } from './quality/quality.providers';
import { COVERAGE_CONTROLLERS, COVERAGE_PROVIDERS } from './coverage/coverage.providers';
import { DashboardController } from './dashboard/dashboard.controller';
import { DeadLettersController } from './admin/dead-letters.controller';
import { IngestCoordinator } from './ingest/ingest-coordinator';
import { BackfillLease, IngestLease } from './ingest/ingest-lease';
import { IngestController } from './ingest/ingest.controller';
import { ExternalIngestSchedule, IngestSchedule, IngestScheduler } from './ingest/ingest.scheduler';
import { IngestStateModule } from './ingest/ingest-state.module';
import { IngestMetrics } from './ingest/ingest.metrics';
import { IngestService } from './ingest/ingest.service';
import { QuoteQueue } from './ingest/quote-queue';
import { MarketDataModule } from './market-data/market-data.module';
import { QuoteReader } from './quotes/quote-reader';
import { QuotesController } from './quotes/quotes.controller';
import { QuoteStream } from './quotes/quote-stream';
import { DailyCandles } from './quotes/daily-candles';
import { QuotesService } from './quotes/quotes.service';
import { SymbolsController } from './quotes/symbols.controller';
import { RateLimitModule } from './security/rate-limit.module';
import { StatusController } from './status/status.controller';
import { checkIngestorConfig } from './ingestor.config';

/** The ingestor app; the two ways to build it differ only in who keeps the ingest schedule. */
@Module({ imports: [RateLimitModule] }) // merged into both builds below: every entry point's HTTP API is rate limited
export class IngestorModule {
  // every entry point (container, Lambda, tests) goes through here
  constructor(@InjectConfig() config: QuoteflowConfig) {
    checkIngestorConfig(config);
    exchangeCalendars(); // a bad calendar data file stops the start here, naming the file and field
  }

  // Both builds take the configuration the entry point loaded; without one (tests) the
  // quoteflowConfig.KEY provider must be overridden.

  /** Container: `INGEST_CRON` runs in the process; main.ts adds the HTTP listener. */
  static withCron(config?: QuoteflowConfig): DynamicModule {
    return IngestorModule.build(config, IngestScheduler, [ScheduleModule.forRoot()], [BackfillScheduler]);
  }

  /** Lambda: an EventBridge rule calls the `ingest` export, so no timer may run in the process. */
  static forLambda(config?: QuoteflowConfig): DynamicModule {
    return IngestorModule.build(config, ExternalIngestSchedule, [], []);
  }

  private static build(config: QuoteflowConfig | undefined, schedule: Type<IngestSchedule>, imports: DynamicModule[], timers: Type[]): DynamicModule {
    return {
      module: IngestorModule,
      imports: [
        config ? QuoteflowConfigModule.forRoot(config) : QuoteflowConfigModule,
        LoggingModule.forApp('ingestor'),
        MetricsModule.forApp('ingestor'),
        AwsModule,
        IngestStateModule,
        HealthModule,
        MarketDataModule,
        ...imports,
      ],
      controllers: [DashboardController, QuotesController, SymbolsController, IngestController, StatusController, DeadLettersController, BackfillController, ...COVERAGE_CONTROLLERS],
      providers: [
        IngestService,
        IngestMetrics,
        QuoteQueue,
        QuoteReader,
        QuotesService,
        DailyCandles,
        QuoteStream,
        IngestLease,
        BackfillLease,
        IngestCoordinator,
        { provide: IngestSchedule, useClass: schedule },
        ...COVERAGE_PROVIDERS,
        ...QUALITY_PROVIDERS,
        BackfillLedger,
        BackfillMetrics,
        BackfillService,
        ...timers,
        {
          provide: DeadLetterAdmin,
          useFactory: (sqs: SQSClient, urls: QueueUrls) => new DeadLetterAdmin(sqs, urls),
          inject: [SQSClient, QueueUrls],
        },
      ],
    };
  }
}
