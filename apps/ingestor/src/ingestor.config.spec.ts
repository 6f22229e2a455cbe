import { ConfigError, parseConfig, PROVIDER_NAMES } from '@app/common';
import { HttpService } from '@nestjs/axios';
import { Registry } from 'prom-client';
import { checkIngestorConfig } from './ingestor.config';
import { createProviders } from './market-data/market-data.module';
import { UpstreamMetrics } from './market-data/upstream.metrics';

const problemsOf = (check: () => unknown): string[] => {
  try {
    check();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('checkIngestorConfig', () => {
  it('accepts the local defaults', () => {
    expect(checkIngestorConfig(parseConfig({})).ingest.providers).toEqual(['demo']);
  });

  it('refuses production without an admin key, naming the variable', () => {
    expect(() => checkIngestorConfig(parseConfig({ NODE_ENV: 'production' }))).toThrow(/ADMIN_API_KEY: required when NODE_ENV=production/);
  });

  it('has an adapter for every provider the configuration accepts', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: PROVIDER_NAMES.join(','), RAPIDAPI_KEY: 'k', SYMBOLS: 'AAPL' });

    const providers = createProviders(checkIngestorConfig(config), new HttpService(), new UpstreamMetrics(new Registry()));

    expect(providers.map((p) => p.name)).toEqual(PROVIDER_NAMES);
  });

  it('leaves a provider name no adapter exists for to parseConfig, which names the variable', () => {
    expect(() => parseConfig({ MARKET_DATA_PROVIDER: 'demo,bloomberg' })).toThrow(ConfigError);
    expect(() => parseConfig({ MARKET_DATA_PROVIDER: 'demo,bloomberg' })).toThrow(/MARKET_DATA_PROVIDER: must be one or more of/);
  });

  it('refuses one RAPIDAPI_HOST for several RapidAPI providers', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price,coingecko', RAPIDAPI_KEY: 'k', RAPIDAPI_HOST: 'x.p.rapidapi.com' });

    expect(() => checkIngestorConfig(config)).toThrow(/RAPIDAPI_HOST: one host cannot serve latest-stock-price, coingecko/);
  });

  it('needs a key for a RapidAPI provider', () => {
    expect(() => checkIngestorConfig(parseConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price' }))).toThrow(/RAPIDAPI_KEY: required/);
  });

  it('refuses what only its providers need, which the processor parses without', () => {
    const env = { MARKET_DATA_PROVIDER: 'alpha-vantage' };

    const forProcessor = parseConfig(env);

    expect(forProcessor.ingest.providers).toEqual(['alpha-vantage']);
    expect(problemsOf(() => checkIngestorConfig(forProcessor))).toEqual([
      'SYMBOLS: required by alpha-vantage (they fetch listed symbols only)',
      'RAPIDAPI_KEY: required by MARKET_DATA_PROVIDER=alpha-vantage',
    ]);
  });
});
