import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { QualityMetrics } from './quality.metrics';
import { QualityMonitor } from './quality-monitor';

/** Cross-provider quality: the monitor the ingest feeds, read by `/status`, the quote stream and the metrics. */
@Module({
  imports: [StateModule],
  providers: [QualityMonitor, QualityMetrics],
  exports: [QualityMonitor],
})
export class QualityModule {}
