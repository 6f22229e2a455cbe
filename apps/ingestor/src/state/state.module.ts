import { Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module';
import { ProviderPauses } from './provider-pauses';
import { SharedState } from './shared-state';
import { SharedStateStore } from './shared-state.store';

/**
 * What the ingestor processes share through the quotes table (layout in `StateTable`): the
 * adapter, the cached reader for `/status`, and the one store of provider pauses.
 */
@Module({
  imports: [ClockModule],
  providers: [SharedStateStore, SharedState, ProviderPauses],
  exports: [SharedStateStore, SharedState, ProviderPauses],
})
export class StateModule {}
