import { ConfigError, RAPIDAPI_HOSTS, quoteflowConfig, type QuoteflowConfig, type ProviderName } from '@app/common';
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

/** Providers this version ships an adapter for. */
export const AVAILABLE_PROVIDERS: readonly ProviderName[] = ['demo', 'latest-stock-price', 'alpha-vantage', 'yahoo-finance', 'coingecko'];

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
  return config.ingest.providers.map((name): MarketDataProvider => {
    switch (name) {
      case 'demo':
        return new DemoProvider({ symbols: upstream.symbols });
      case 'latest-stock-price':
        return new LatestStockPriceProvider(rapidApi(name), { symbols: upstream.symbols, indices: upstream.indices });
      case 'alpha-vantage':
        return new AlphaVantageProvider(rapidApi(name), { symbols: upstream.symbols ?? [] });
      case 'yahoo-finance':
        return new YahooFinanceProvider(rapidApi(name), { symbols: upstream.symbols ?? [] });
      case 'coingecko':
        return new CoinGeckoProvider(rapidApi(name), { ids: upstream.coingeckoIds, vsCurrency: upstream.vsCurrency, symbols: upstream.symbols });
      default:
        throw new ConfigError([`MARKET_DATA_PROVIDER: "${name}" is not available in this version`]);
    }
  });
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
