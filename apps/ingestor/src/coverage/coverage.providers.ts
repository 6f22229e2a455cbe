import { CoverageController } from './coverage.controller';
import { CoverageMetrics } from './coverage.metrics';
import { CoverageService } from './coverage.service';
import { CoverageSummary } from './coverage-summary';
import { QuoteTimes } from './quote-times';

/** Completeness: the report route, the `/status` summary and its metric. */
export const COVERAGE_PROVIDERS = [QuoteTimes, CoverageService, CoverageSummary, CoverageMetrics];
export const COVERAGE_CONTROLLERS = [CoverageController];
