import {
  AwsModule,
  exchangeCalendars,
  HealthModule,
  InjectConfig,
  LoggingModule,
  MetricsModule,
  QuoteflowConfigModule,
  type QuoteflowConfig,
} from '@app/common';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DeadLettersModule } from './admin/dead-letters.module';
import { BackfillModule } from './backfill/backfill.module';
import { ClockModule } from './clock/clock.module';
import { CoverageModule } from './coverage/coverage.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { IngestModule } from './ingest/ingest.module';
import { ExternalIngestSchedule, IngestSchedule, IngestScheduler } from './ingest/ingest.scheduler';
import { checkIngestorConfig } from './ingestor.config';
import { MarketDataModule } from './market-data/market-data.module';
import { QualityModule } from './quality/quality.module';
import { QuotesModule } from './quotes/quotes.module';
import { SecurityModule } from './security/security.module';
import { StateModule } from './state/state.module';
import { StatusModule } from './status/status.module';

/** The ingestor app; the two ways to build it differ only in who keeps the ingest schedule. */
@Module({ imports: [SecurityModule] }) // merged into both builds below: every entry point's HTTP API is rate limited
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
    return IngestorModule.build(config, IngestScheduler, [ScheduleModule.forRoot()], true);
  }

  /** Lambda: an EventBridge rule calls the `ingest` export, so no timer may run in the process. */
  static forLambda(config?: QuoteflowConfig): DynamicModule {
    return IngestorModule.build(config, ExternalIngestSchedule, [], false);
  }

  private static build(config: QuoteflowConfig | undefined, schedule: Type<IngestSchedule>, imports: DynamicModule[], scheduled: boolean): DynamicModule {
    const backfill = BackfillModule.register({ scheduled });
    return {
      module: IngestorModule,
      imports: [
        config ? QuoteflowConfigModule.forRoot(config) : QuoteflowConfigModule,
        LoggingModule.forApp('ingestor'),
        MetricsModule.forApp('ingestor'),
        AwsModule,
        ClockModule,
        HealthModule,
        ...imports,
        // the features, each owning its adapters and exporting only its services
        MarketDataModule,
        StateModule,
        IngestModule.register(schedule),
        QualityModule,
        QuotesModule,
        CoverageModule,
        backfill,
        StatusModule.register(backfill),
        DashboardModule,
        DeadLettersModule,
      ],
    };
  }
}
