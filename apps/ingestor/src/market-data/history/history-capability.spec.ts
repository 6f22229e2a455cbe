import { strictFake } from '../../../../../test/support/strict-fake';
import { AlphaVantageProvider } from '../alpha-vantage.provider';
import { CoinGeckoProvider } from '../coingecko.provider';
import { DemoProvider } from '../demo.provider';
import { LatestStockPriceProvider } from '../latest-stock-price.provider';
import type { RapidApiClient } from '../rapidapi.client';
import { YahooFinanceProvider } from '../yahoo-finance.provider';

const client = strictFake<RapidApiClient>({});
const DAY = 86_400_000;

describe('which providers have a history endpoint', () => {
  it.each([
    ['alpha-vantage', new AlphaVantageProvider(client, { symbols: [] }), 30 * DAY],
    ['yahoo-finance', new YahooFinanceProvider(client, { symbols: [] }), 5 * DAY],
    ['coingecko', new CoinGeckoProvider(client, { ids: null, vsCurrency: 'usd', symbols: null }), 365 * DAY],
  ])('%s has one, at one call per instrument', (name, provider, lookbackMs) => {
    expect(provider.history).toMatchObject({ provider: name, callsPerInstrument: 1, lookbackMs });
  });

  it.each([
    ['latest-stock-price', new LatestStockPriceProvider(client, { symbols: null, indices: [] })],
    ['demo', new DemoProvider({ symbols: null })],
  ])('%s has none', (_, provider) => {
    expect(provider.history).toBeNull();
  });
});
