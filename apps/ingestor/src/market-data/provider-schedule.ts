import { exchangeOfProvider, resolveMarketSchedule, type MarketSchedule, type ProviderName, type QuoteflowConfig } from '@app/common';

/** The schedule a provider's market follows under `MARKET_HOURS` (its exchange's calendar with `auto`). */
export function providerSchedule(config: QuoteflowConfig, provider: ProviderName): MarketSchedule {
  return resolveMarketSchedule(config.ingest.marketHours, exchangeOfProvider(provider));
}
