import { checkQuote } from '@app/common';
import { upstreamFixture } from '../../../../../test/support/fixtures';
import { strictFake } from '../../../../../test/support/strict-fake';
import type { RapidApiClient } from '../rapidapi.client';
import { chartNumber, YahooFinanceHistory } from './yahoo-finance.history';

const chart = upstreamFixture('yahoo-finance/get-chart-1m.sample.json');
const AAPL = { symbol: 'AAPL', series: null };
/** Monday 2026-11-02, 09:34:30 in New York (EST, the day after the clocks went back). */
const NOW = new Date('2026-11-02T14:34:30.000Z');
const OPEN = new Date('2026-11-02T14:30:00.000Z');

function history(body: unknown = chart) {
  const asked: Record<string, string>[] = [];
  const client = strictFake<RapidApiClient>({
    get: async (path: string, params: Record<string, string> = {}) => {
      asked.push({ path, ...params });
      return { body, rateLimit: null };
    },
  });
  return { h: new YahooFinanceHistory(client, () => NOW), asked };
}

describe('YahooFinanceHistory', () => {
  it("asks the chart for today's 1m bars of the regular session when the range starts today", async () => {
    const { h, asked } = history();

    await h.historyOf(AAPL, OPEN, NOW);

    expect(asked).toEqual([{ path: '/stock/v3/get-chart', symbol: 'AAPL', interval: '1m', range: '1d', region: 'US', includePrePost: 'false' }]);
  });

  it('asks for the last five sessions when the range starts before today in New York', async () => {
    const { h, asked } = history();

    // 23:30 on Sunday in New York, though already Monday in UTC
    await h.historyOf(AAPL, new Date('2026-11-02T04:30:00.000Z'), NOW);

    expect(asked[0].range).toBe('5d');
  });

  it('maps epoch-second bar starts to UTC and reads the 32-bit float prices back as quoted', async () => {
    const { h } = history();

    const { candidates } = await h.historyOf(AAPL, OPEN, NOW);

    expect(candidates).toEqual([
      {
        symbol: 'AAPL',
        series: null,
        price: 270.42,
        high: 270.88,
        low: 269.95,
        quoteTime: '2026-11-02T14:30:00.000Z',
        source: 'yahoo-finance',
        origin: 'backfill',
        interval: '1m',
      },
      expect.objectContaining({ price: 270.05, high: 270.39, low: 269.98, quoteTime: '2026-11-02T14:33:00.000Z' }),
    ]);
    expect(candidates.map((c) => String(c.price))).toEqual(['270.42', '270.05']);
    expect(candidates.every((c) => checkQuote(c).ok)).toBe(true);
  });

  it('skips a minute without trades, rejects a bar without its range, and leaves out the minute in progress', async () => {
    const { h } = history();

    const { rejections, covered } = await h.historyOf(AAPL, OPEN, NOW);

    expect(rejections).toEqual([{ symbol: 'AAPL', reason: 'missing_bar_range' }]);
    // the empty 09:31 bar is covered: no trade then, not a gap
    expect(covered).toEqual({ from: '2026-11-02T14:30:00.000Z', to: '2026-11-02T14:34:00.000Z' });
  });

  it('rejects a symbol Yahoo does not know', async () => {
    const { h } = history(upstreamFixture('yahoo-finance/get-chart-not-found.json'));

    await expect(h.historyOf({ symbol: 'NOPE', series: null }, OPEN, NOW)).resolves.toEqual({
      candidates: [],
      rejections: [{ symbol: 'NOPE', reason: 'unknown_symbol' }],
      rateLimit: null,
      covered: null,
    });
  });

  it.each([
    ['no chart', { message: 'odd' }],
    ['bars of another interval', { chart: { result: [{ meta: { dataGranularity: '5m' }, timestamp: [] }], error: null } }],
    ['another chart error', { chart: { result: null, error: { code: 'Unprocessable Entity', description: 'only 7 days of 1m data per request' } } }],
  ])('treats an answer with %s as an upstream error', async (_, body) => {
    const { h } = history(body);

    await expect(h.historyOf(AAPL, OPEN, NOW)).rejects.toMatchObject({ failure: 'bad_response' });
  });

  it('answers a chart without bars (a session not yet open) with nothing covered', async () => {
    const { h } = history({ chart: { result: [{ meta: { dataGranularity: '1m' }, indicators: { quote: [{}] } }], error: null } });

    await expect(h.historyOf(AAPL, OPEN, NOW)).resolves.toMatchObject({ candidates: [], rejections: [], covered: null });
  });
});

describe('chartNumber', () => {
  it.each([
    [270.4200134277344, 270.42],
    [216.32000732421875, 216.32],
    [77.5875015258789, 77.5875],
    [0.5, 0.5],
    [216.32, 216.32], // not a 32-bit float: kept as sent
    [91234.56782013, 91234.56782013],
    ['12.5', 12.5],
  ])('%p → %p', (sent, read) => {
    expect(chartNumber(sent)).toBe(read);
  });

  it.each([null, undefined, 'n/a'])('reads %p as no value', (sent) => {
    expect(chartNumber(sent)).toBeNull();
  });
});
