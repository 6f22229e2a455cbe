import { checkQuote } from '@app/common';
import { upstreamFixture } from '../../../../../test/support/fixtures';
import { strictFake } from '../../../../../test/support/strict-fake';
import type { RapidApiClient } from '../rapidapi.client';
import { UpstreamError } from '../upstream.error';
import { CoinGeckoHistory, sampleStep } from './coingecko.history';

const fiveMinutely = upstreamFixture('coingecko/market-chart-range-5m.sample.json');
const hourly = upstreamFixture('coingecko/market-chart-range-1h.sample.json');
const BTC = { symbol: 'BTC-USD', series: 'bitcoin' };
const NOW = new Date('2026-12-01T12:00:00.000Z');

function history(answer: unknown, now = NOW) {
  const asked: Record<string, string>[] = [];
  const client = strictFake<RapidApiClient>({
    get: async (path: string, params: Record<string, string> = {}) => {
      asked.push({ path, ...params });
      if (answer instanceof Error) throw answer;
      return { body: answer, rateLimit: null };
    },
  });
  return { h: new CoinGeckoHistory(client, { vsCurrency: 'usd', now: () => now }), asked };
}

describe('CoinGeckoHistory', () => {
  it('asks market_chart/range once per coin id, with the range in epoch seconds', async () => {
    const { h, asked } = history(fiveMinutely);

    await h.historyOf(BTC, new Date('2026-12-01T10:00:00.500Z'), NOW);

    expect(asked).toEqual([{ path: '/coins/bitcoin/market_chart/range', vs_currency: 'usd', from: '1796119200', to: '1796126400' }]);
  });

  it('turns price samples into backfilled quotes at their instants, exactly as sent, without a range', async () => {
    const { h } = history(fiveMinutely);

    const { candidates, covered } = await h.historyOf(BTC, new Date('2026-12-01T10:00:00.000Z'), NOW);

    expect(candidates[0]).toEqual({
      symbol: 'BTC-USD',
      series: 'bitcoin',
      price: 91234.56782013,
      high: null,
      low: null,
      quoteTime: '2026-12-01T10:00:41.112Z',
      source: 'coingecko',
      origin: 'backfill',
      interval: '5m',
    });
    // the last sample (11:58:12) is the price of the five minutes still running
    expect(candidates.map((c) => String(c.price))).toEqual(['91234.56782013', '91251.0937112', '91198.40025318', '91210.00000001', '91302.7705', '91287.1']);
    expect(candidates.every((c) => checkQuote(c).ok)).toBe(true);
    expect(covered).toEqual({ from: '2026-12-01T10:00:41.112Z', to: '2026-12-01T12:00:00.000Z' });
  });

  it('labels an hourly answer 1h, keeps exponent prices exact, and leaves a null price to validation', async () => {
    const { h } = history(hourly, new Date('2026-11-30T00:00:00.000Z'));

    const { candidates } = await h.historyOf({ symbol: 'PEPE-USD', series: 'pepe' }, new Date('2026-11-28T00:00:00.000Z'), new Date('2026-11-29T00:00:00.000Z'));

    expect(candidates.map((c) => [c.interval, c.price])).toEqual([
      ['1h', 0.000010312],
      ['1h', 0.000010298],
      ['1h', 0.0000103455],
      ['1h', null],
      ['1h', 0.000010401],
    ]);
    expect(checkQuote(candidates[3])).toMatchObject({ ok: false, reason: 'invalid_price' });
  });

  it('rejects a coin CoinGecko does not know (HTTP 404) instead of failing', async () => {
    const { h } = history(new UpstreamError('coingecko', 'bad_response', 'upstream answered HTTP 404', { status: 404 }));

    await expect(h.historyOf({ symbol: 'NOPE-USD', series: 'nope' }, new Date('2026-12-01T10:00:00.000Z'), NOW)).resolves.toMatchObject({
      candidates: [],
      rejections: [{ symbol: 'NOPE-USD', reason: 'unknown_coin_id' }],
    });
  });

  it('rejects an instrument without a coin id without calling', async () => {
    const { h, asked } = history(fiveMinutely);

    const { rejections } = await h.historyOf({ symbol: 'BTC-USD', series: null }, new Date('2026-12-01T10:00:00.000Z'), NOW);

    expect(rejections).toEqual([{ symbol: 'BTC-USD', reason: 'missing_coin_id' }]);
    expect(asked).toEqual([]);
  });

  it('passes a quota error on and treats an answer without prices as an upstream error', async () => {
    const quota = new UpstreamError('coingecko', 'quota', 'upstream answered HTTP 429', { status: 429, retryAfterSeconds: 30 });

    await expect(history(quota).h.historyOf(BTC, new Date('2026-12-01T10:00:00.000Z'), NOW)).rejects.toBe(quota);
    await expect(history({ error: 'odd' }).h.historyOf(BTC, new Date('2026-12-01T10:00:00.000Z'), NOW)).rejects.toMatchObject({ failure: 'bad_response' });
  });

  it.each([
    ['within the last day', '2026-12-01T06:00:00.000Z', '2026-12-01T12:00:00.000Z', '5m'],
    ['one day in the past', '2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z', '1h'],
    ['up to 90 days', '2026-09-02T12:00:00.000Z', '2026-12-01T12:00:00.000Z', '1h'],
    ['beyond 90 days', '2026-08-01T00:00:00.000Z', '2026-12-01T12:00:00.000Z', '1d'],
  ])('plans a range %s as %s bars, as CoinGecko documents its automatic granularity', (_, from, to, interval) => {
    expect(history(fiveMinutely).h.intervalFor(new Date(from), new Date(to))).toBe(interval);
  });
});

describe('sampleStep', () => {
  it.each([
    [[[0], [300_000], [600_000]], '5m'],
    [[[0], [3_600_000], [7_200_000]], '1h'],
    [[[0], [86_400_000]], '1d'],
    [[[0]], null],
  ])('%p → %p', (samples, step) => {
    expect(sampleStep(samples)).toBe(step);
  });
});
