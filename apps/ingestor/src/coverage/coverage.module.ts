import { Module } from '@nestjs/common';
import { QuotesModule } from '../quotes/quotes.module';
import { StateModule } from '../state/state.module';
import { CoverageController } from './coverage.controller';
import { CoverageMetrics } from './coverage.metrics';
import { CoverageService } from './coverage.service';
import { CoverageSummary } from './coverage-summary';
import { QuoteTimes } from './quote-times';

/** Completeness: the report route, the `/status` summary and its metric, over the stored quotes and the run records. */
@Module({
  imports: [StateModule, QuotesModule],
  controllers: [CoverageController],
  providers: [QuoteTimes, CoverageService, CoverageSummary, CoverageMetrics],
  exports: [CoverageService, CoverageSummary, QuoteTimes],
})
export class CoverageModule {}
