import { quoteflowConfig, type QuoteflowConfig, type ProviderName } from '@app/common';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { AlphaVantageProvider } from './alpha-vantage.provider';
import { CoinGeckoProvider } from './coingecko.provider';
import { DemoProvider } from './demo.provider';
import { LatestStockPriceProvider } from './latest-stock-price.provider';
import { MARKET_DATA_PROVIDERS, type MarketDataProvider } from './market-data-provider';
import { RapidApiClient } from './rapidapi.client';
import { UpstreamMetrics } from './upstream.metrics';
import { YahooFinanceProvider } from './yahoo-finance.provider';

/** Default RapidAPI host of each provider that is reached through RapidAPI. */
export const RAPIDAPI_HOSTS: Record<Exclude<ProviderName, 'demo'>, string> = {
  'latest-stock-price': 'latest-stock-price.p.rapidapi.com',
  'alpha-vantage': 'alpha-vantage.p.rapidapi.com',
  'yahoo-finance': 'apidojo-yahoo-finance-v1.p.rapidapi.com',
  coingecko: 'coingecko.p.rapidapi.com',
};

/** Builds the providers named by `MARKET_DATA_PROVIDER`, each with its own RapidAPI client. */
export function createProviders(config: QuoteflowConfig, http: HttpService, metrics: UpstreamMetrics): MarketDataProvider[] {
  const { upstream } = config;
  const rapidApi = (provider: Exclude<ProviderName, 'demo'>) => {
    const host = upstream.rapidApiHost ?? RAPIDAPI_HOSTS[provider];
    return new RapidApiClient(http, {
      provider,
      key: upstream.rapidApiKey ?? '',
      host,
      baseUrl: upstream.baseUrl ?? `https://${host}`,
      timeoutMs: upstream.timeoutMs,
      maxAttempts: upstream.maxAttempts,
      onAttempt: (status, seconds, rateLimit) => metrics.request(provider, status, seconds, rateLimit),
    });
  };
  // one entry per provider name: TypeScript refuses this table when a name has no adapter
  const adapters: Record<ProviderName, () => MarketDataProvider> = {
    demo: () => new DemoProvider({ symbols: upstream.symbols }),
    'latest-stock-price': () =>
      new LatestStockPriceProvider(rapidApi('latest-stock-price'), { symbols: upstream.symbols, indices: upstream.indices }),
    'alpha-vantage': () => new AlphaVantageProvider(rapidApi('alpha-vantage'), { symbols: upstream.symbols ?? [] }),
    'yahoo-finance': () => new YahooFinanceProvider(rapidApi('yahoo-finance'), { symbols: upstream.symbols ?? [] }),
    coingecko: () =>
      new CoinGeckoProvider(rapidApi('coingecko'), { ids: upstream.coingeckoIds, vsCurrency: upstream.vsCurrency, symbols: upstream.symbols }),
  };
  return config.ingest.providers.map((name) => adapters[name]());
}

@Module({
  imports: [HttpModule],
  providers: [
    UpstreamMetrics,
    {
      provide: MARKET_DATA_PROVIDERS,
      useFactory: createProviders,
      inject: [quoteflowConfig.KEY, HttpService, UpstreamMetrics],
    },
  ],
  exports: [MARKET_DATA_PROVIDERS],
})
export class MarketDataModule {}
