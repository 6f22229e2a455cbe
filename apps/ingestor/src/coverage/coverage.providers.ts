import { CoverageController } from './coverage.controller';
import { CoverageMetrics } from './coverage.metrics';
import { CoverageService } from './coverage.service';
import { CoverageSummary } from './coverage-summary';
import { QuoteTimes } from './quote-times';
import { RunLog } from './run-log';

/** Completeness: the run log the ingest writes, the report route, the `/status` summary and its metric. */
export const COVERAGE_PROVIDERS = [RunLog, QuoteTimes, CoverageService, CoverageSummary, CoverageMetrics];
export const COVERAGE_CONTROLLERS = [CoverageController];
