import { ConfigError, type QuoteflowConfig } from '@app/common';
import { AVAILABLE_PROVIDERS } from './market-data/market-data.module';

/** What only the ingestor requires of the shared configuration; throws a {@link ConfigError} naming each variable. */
export function checkIngestorConfig(config: QuoteflowConfig): QuoteflowConfig {
  const problems: string[] = [];
  if (config.production && !config.http.adminApiKey) {
    problems.push('ADMIN_API_KEY: required when NODE_ENV=production (it protects POST /ingest/trigger)');
  }
  const missing = config.ingest.providers.filter((p) => !AVAILABLE_PROVIDERS.includes(p));
  if (missing.length) {
    problems.push(`MARKET_DATA_PROVIDER: ${missing.join(', ')} not available in this version (available: ${AVAILABLE_PROVIDERS.join(', ')})`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
