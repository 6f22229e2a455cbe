import { ConfigError, loadProcessConfig, type QuoteflowConfig } from '@app/common';

/**
 * What only the ingestor requires of the shared configuration: the settings its market-data
 * providers need, and the admin key in production. Throws a {@link ConfigError} naming each variable.
 */
export function checkIngestorConfig(config: QuoteflowConfig): QuoteflowConfig {
  const { providers } = config.ingest;
  const problems: string[] = [];
  if (config.production && !config.http.adminApiKey) {
    problems.push('ADMIN_API_KEY: required when NODE_ENV=production (it protects POST /ingest/trigger)');
  }
  const perSymbol = providers.filter((p) => p === 'alpha-vantage' || p === 'yahoo-finance');
  if (perSymbol.length && !config.upstream.symbols?.length) {
    problems.push(`SYMBOLS: required by ${perSymbol.join(', ')} (they fetch listed symbols only)`);
  }
  const viaRapidApi = providers.filter((p) => p !== 'demo');
  if (viaRapidApi.length && !config.upstream.rapidApiKey) {
    problems.push(`RAPIDAPI_KEY: required by MARKET_DATA_PROVIDER=${providers.join(',')}`);
  }
  if (config.upstream.rapidApiHost && viaRapidApi.length > 1) {
    problems.push(`RAPIDAPI_HOST: one host cannot serve ${viaRapidApi.join(', ')}; unset it to use each provider's own host`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** The ingestor's configuration, loaded once per process (container or Lambda container) and checked. */
export async function loadIngestorConfig(): Promise<QuoteflowConfig> {
  return checkIngestorConfig(await loadProcessConfig());
}
