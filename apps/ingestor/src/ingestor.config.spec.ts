import { ConfigError, parseConfig, PROVIDER_NAMES, type ProviderName } from '@app/common';
import { checkIngestorConfig } from './ingestor.config';
import { AVAILABLE_PROVIDERS } from './market-data/market-data.module';

describe('checkIngestorConfig', () => {
  it('accepts the local defaults', () => {
    expect(checkIngestorConfig(parseConfig({})).ingest.providers).toEqual(['demo']);
  });

  it('refuses production without an admin key, naming the variable', () => {
    expect(() => checkIngestorConfig(parseConfig({ NODE_ENV: 'production' }))).toThrow(/ADMIN_API_KEY: required when NODE_ENV=production/);
  });

  it('has an adapter for every provider the configuration accepts', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: PROVIDER_NAMES.join(','), RAPIDAPI_KEY: 'k', SYMBOLS: 'AAPL' });

    expect([...AVAILABLE_PROVIDERS].sort()).toEqual([...PROVIDER_NAMES].sort());
    expect(checkIngestorConfig(config).ingest.providers).toEqual(PROVIDER_NAMES);
  });

  it('refuses a provider this version has no adapter for', () => {
    const parsed = parseConfig({});
    const config = { ...parsed, ingest: { ...parsed.ingest, providers: ['demo', 'bloomberg'] as ProviderName[] } };

    expect(() => checkIngestorConfig(config)).toThrow(ConfigError);
    expect(() => checkIngestorConfig(config)).toThrow(/MARKET_DATA_PROVIDER: bloomberg not available/);
  });
});
