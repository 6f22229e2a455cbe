import { READINESS_CHECKS } from '@app/common';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MarketDataModule } from '../market-data/market-data.module';
import { QualityModule } from '../quality/quality.module';
import { StateModule } from '../state/state.module';
import { IngestCoordinator } from './ingest-coordinator';
import { IngestFreshness } from './ingest-freshness';
import { IngestLease } from './ingest-lease';
import { IngestController } from './ingest.controller';
import { IngestMetrics } from './ingest.metrics';
import { IngestSchedule } from './ingest.scheduler';
import { IngestService } from './ingest.service';
import { ProviderSelection } from './provider-selection';
import { QuoteQueueModule } from './quote-queue.module';
import { RunHistory } from './run-history';

/**
 * The ingest: the run, its lease, its route and schedule, the run history `/status` reads and the
 * readiness check. Global because the shared health controller must see `READINESS_CHECKS`; it
 * exports nothing else but the services other features read.
 */
@Module({})
export class IngestModule {
  /** `schedule`: who keeps the ingest schedule (the container's cron, or EventBridge outside a Lambda). */
  static register(schedule: Type<IngestSchedule>): DynamicModule {
    return {
      module: IngestModule,
      global: true,
      imports: [TerminusModule, MarketDataModule, StateModule, QualityModule, QuoteQueueModule],
      controllers: [IngestController],
      providers: [
        ProviderSelection,
        RunHistory,
        IngestFreshness,
        IngestService,
        IngestMetrics,
        IngestLease,
        IngestCoordinator,
        { provide: IngestSchedule, useClass: schedule },
        { provide: READINESS_CHECKS, useFactory: (freshness: IngestFreshness) => [freshness], inject: [IngestFreshness] },
      ],
      exports: [IngestCoordinator, RunHistory, IngestSchedule, READINESS_CHECKS],
    };
  }
}
