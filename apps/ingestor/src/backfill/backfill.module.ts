import { AwsModule, MetricsModule, QuoteflowConfigModule, type QuoteflowConfig } from '@app/common';
import { type DynamicModule, Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module';
import { CoverageModule } from '../coverage/coverage.module';
import { BackfillLease } from '../ingest/ingest-lease';
import { QuoteQueueModule } from '../ingest/quote-queue.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { QuotesModule } from '../quotes/quotes.module';
import { StateModule } from '../state/state.module';
import { BackfillController } from './backfill.controller';
import { BackfillLedger } from './backfill-ledger';
import { BackfillMetrics } from './backfill.metrics';
import { BackfillScheduler } from './backfill.scheduler';
import { BackfillService } from './backfill.service';

const PROVIDERS = [BackfillLedger, BackfillMetrics, BackfillService, BackfillLease];
const IMPORTS = [MarketDataModule, StateModule, CoverageModule, QuotesModule, QuoteQueueModule];

/** Backfill: the pass, its route, its ledger and lease. With its schedule in a container (`BACKFILL_CRON`, `BACKFILL_ON_START`). */
@Module({})
export class BackfillModule {
  /** `scheduled`: the container keeps the backfill timers; Lambda and the CLI do not. */
  static register({ scheduled }: { scheduled: boolean }): DynamicModule {
    return {
      module: BackfillModule,
      imports: IMPORTS,
      controllers: [BackfillController],
      providers: [...PROVIDERS, ...(scheduled ? [BackfillScheduler] : [])],
      exports: [BackfillService],
    };
  }

  /** The pass alone, without its route (the `npm run backfill` command-line tool). */
  static alone(): DynamicModule {
    return { module: BackfillModule, imports: IMPORTS, providers: PROVIDERS, exports: [BackfillService] };
  }
}

/** Backfill alone with the infrastructure it needs: what `npm run backfill` starts (no HTTP API, no ingest, no schedule). */
@Module({})
export class BackfillOnlyModule {
  static forConfig(config: QuoteflowConfig): DynamicModule {
    return {
      module: BackfillOnlyModule,
      imports: [QuoteflowConfigModule.forRoot(config), MetricsModule.forApp('ingestor'), AwsModule, ClockModule, BackfillModule.alone()],
    };
  }
}
