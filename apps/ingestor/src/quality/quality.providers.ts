import { QualityMetrics } from './quality.metrics';
import { QualityMonitor } from './quality-monitor';

/** Cross-provider quality: the monitor the ingest feeds, read by `/status`, the quote stream and the metrics. */
export const QUALITY_PROVIDERS = [QualityMonitor, QualityMetrics];
