import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { FakeUpstream } from '../../../../../test/support/fake-upstream';
import { upstreamFixture } from '../../../../../test/support/fixtures';
import { AlphaVantageProvider } from '../alpha-vantage.provider';
import { CoinGeckoProvider } from '../coingecko.provider';
import { RapidApiClient } from '../rapidapi.client';
import { YahooFinanceProvider } from '../yahoo-finance.provider';

// The history adapters over the real RapidAPI client and HTTP: quota answers must surface as the
// very error the live path raises, so that a backfill pauses on it the same way.
const NOW = new Date('2026-11-02T21:05:00.000Z');
const FROM = new Date('2026-11-02T14:30:00.000Z');
const QUOTA_429 = { status: 429, body: { message: 'You have exceeded the rate limit per minute for your plan, BASIC, by the API provider' } };

describe('history endpoints through the RapidAPI client', () => {
  let upstream: FakeUpstream;
  const client = (provider: string) =>
    new RapidApiClient(new HttpService(axios.create()), { provider, key: 'k', host: 'h', baseUrl: upstream.url, timeoutMs: 2_000, maxAttempts: 1 });

  beforeEach(async () => {
    upstream = await new FakeUpstream().start();
  });
  afterEach(() => upstream.stop());

  it('sends the Alpha Vantage intraday call and reads its answer', async () => {
    upstream.respond({ body: upstreamFixture('alpha-vantage/intraday-1min.json') });
    const p = new AlphaVantageProvider(client('alpha-vantage'), { symbols: ['MSFT'], now: () => NOW });

    const { candidates, rateLimit } = await p.history.historyOf({ symbol: 'MSFT', series: null }, FROM, NOW);

    expect(upstream.requests.map((r) => r.path)).toEqual([
      '/query?function=TIME_SERIES_INTRADAY&symbol=MSFT&interval=1min&outputsize=full&adjusted=false&extended_hours=false&datatype=json',
    ]);
    expect(candidates).toHaveLength(3);
    expect(rateLimit).toMatchObject({ limit: 500, remaining: 499, resetSeconds: 86400 });
  });

  it.each(['note', 'information'])('raises the same quota error for an Alpha Vantage %s body as the live quote does', async (name) => {
    upstream.respond({ body: upstreamFixture(`alpha-vantage/${name}.json`) });
    const p = new AlphaVantageProvider(client('alpha-vantage'), { symbols: ['MSFT'], now: () => NOW });

    const live = await p.fetch().catch((err: unknown) => err);
    const backfill = await p.history.historyOf({ symbol: 'MSFT', series: null }, FROM, NOW).catch((err: unknown) => err);

    expect(backfill).toMatchObject({ name: 'UpstreamError', failure: 'quota', provider: 'alpha-vantage' });
    expect(backfill).toEqual(live);
  });

  it('raises a quota error with the reset to wait for when the gateway answers 429 to a Yahoo chart', async () => {
    upstream.respond(QUOTA_429);
    const p = new YahooFinanceProvider(client('yahoo-finance'), { symbols: ['AAPL'], now: () => NOW });

    await expect(p.history.historyOf({ symbol: 'AAPL', series: null }, FROM, NOW)).rejects.toMatchObject({
      failure: 'quota',
      status: 429,
      retryAfterSeconds: 86400,
    });
    expect(upstream.requests[0].path).toBe('/stock/v3/get-chart?symbol=AAPL&interval=1m&range=1d&region=US&includePrePost=false');
  });

  it('raises a quota error for a 429 to a CoinGecko range, and rejects an unknown coin answered 404', async () => {
    const p = new CoinGeckoProvider(client('coingecko'), { ids: ['bitcoin'], vsCurrency: 'usd', symbols: null, now: () => NOW });
    upstream.respond((path) => (path.startsWith('/coins/nope/') ? { status: 404, body: upstreamFixture('coingecko/coin-not-found.json') } : QUOTA_429));

    await expect(p.history.historyOf({ symbol: 'BTC-USD', series: 'bitcoin' }, FROM, NOW)).rejects.toMatchObject({ failure: 'quota', status: 429 });
    await expect(p.history.historyOf({ symbol: 'NOPE-USD', series: 'nope' }, FROM, NOW)).resolves.toMatchObject({
      rejections: [{ symbol: 'NOPE-USD', reason: 'unknown_coin_id' }],
    });
    expect(upstream.requests[0].path).toBe('/coins/bitcoin/market_chart/range?vs_currency=usd&from=1793629800&to=1793653500');
  });
});
