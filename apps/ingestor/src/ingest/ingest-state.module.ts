import { READINESS_CHECKS } from '@app/common';
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MarketDataModule } from '../market-data/market-data.module';
import { ClockModule } from '../clock/clock.module';
import { StateModule } from '../state/state.module';
import { IngestFreshness } from './ingest-freshness';
import { ProviderSelection } from './provider-selection';
import { RunHistory } from './run-history';

/**
 * What the ingest keeps between runs (provider selection, run history) and the readiness check
 * that reads it. Global because the shared health controller must see `READINESS_CHECKS`, and the
 * check needs the same `RunHistory` instance the ingest service and `/status` use. The clock is
 * provided here once, so a test can move the whole app's time (`overrideProvider(CLOCK)`).
 */
@Global()
@Module({
  imports: [TerminusModule, MarketDataModule, ClockModule, StateModule],
  providers: [
    ProviderSelection,
    RunHistory,
    IngestFreshness,
    { provide: READINESS_CHECKS, useFactory: (freshness: IngestFreshness) => [freshness], inject: [IngestFreshness] },
  ],
  exports: [StateModule, ProviderSelection, RunHistory, IngestFreshness, READINESS_CHECKS],
})
export class IngestStateModule {}
