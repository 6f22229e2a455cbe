import { ConfigError, parseConfig } from '@app/common';
import { checkIngestorConfig } from './ingestor.config';

describe('checkIngestorConfig', () => {
  it('accepts the local defaults', () => {
    expect(checkIngestorConfig(parseConfig({})).ingest.providers).toEqual(['demo']);
  });

  it('refuses production without an admin key, naming the variable', () => {
    expect(() => checkIngestorConfig(parseConfig({ NODE_ENV: 'production' }))).toThrow(/ADMIN_API_KEY: required when NODE_ENV=production/);
  });

  it('refuses a provider this version has no adapter for', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: 'demo,coingecko', RAPIDAPI_KEY: 'k' });

    expect(() => checkIngestorConfig(config)).toThrow(ConfigError);
    expect(() => checkIngestorConfig(config)).toThrow(/MARKET_DATA_PROVIDER: coingecko not available/);
  });
});
