import { checkQuote } from '@app/common';
import { upstreamFixture } from '../../../../../test/support/fixtures';
import { strictFake } from '../../../../../test/support/strict-fake';
import type { RapidApiClient } from '../rapidapi.client';
import { AlphaVantageHistory, barStart } from './alpha-vantage.history';

const fixture = (name: string) => upstreamFixture(`alpha-vantage/${name}.json`);
const MSFT = { symbol: 'MSFT', series: null };
/** Monday 2026-11-02, after the close; the clocks went back on Sunday. */
const NOW = new Date('2026-11-02T21:05:00.000Z');

function history(body: unknown, now = NOW) {
  const asked: Record<string, string>[] = [];
  const client = strictFake<RapidApiClient>({
    get: async (path: string, params: Record<string, string> = {}) => {
      asked.push({ path, ...params });
      return { body, rateLimit: null };
    },
  });
  return { h: new AlphaVantageHistory(client, () => now), asked };
}

describe('AlphaVantageHistory', () => {
  it('asks TIME_SERIES_INTRADAY for unadjusted regular-session 1min bars, once per symbol', async () => {
    const { h, asked } = history(fixture('intraday-1min'));

    await h.historyOf(MSFT, new Date('2026-10-30T13:30:00.000Z'), NOW);

    expect(asked).toEqual([
      {
        path: '/query',
        function: 'TIME_SERIES_INTRADAY',
        symbol: 'MSFT',
        interval: '1min',
        outputsize: 'full',
        adjusted: 'false',
        extended_hours: 'false',
        datatype: 'json',
      },
    ]);
  });

  it('asks only the latest 100 bars when the range starts less than 100 minutes ago', async () => {
    const { h, asked } = history(fixture('intraday-1min'));

    await h.historyOf(MSFT, new Date('2026-11-02T19:30:00.000Z'), NOW);

    expect(asked[0].outputsize).toBe('compact');
  });

  it('turns US/Eastern bar starts into UTC on both sides of the DST change, with exact decimals', async () => {
    const { h } = history(fixture('intraday-1min'));

    const { candidates, covered } = await h.historyOf(MSFT, new Date('2026-10-30T00:00:00.000Z'), NOW);

    expect(candidates.map((c) => [c.quoteTime, c.price, c.high, c.low])).toEqual([
      ['2026-10-30T13:30:00.000Z', 404.55, 404.99, 403.87], // 09:30 EDT (UTC-4)
      ['2026-10-30T19:59:00.000Z', 405.19, 405.2, 404.93],
      ['2026-11-02T14:30:00.000Z', 410.37, 410.52, 409.61], // 09:30 EST (UTC-5)
      ['2026-11-02T14:31:00.000Z', 410.88, 410.91, 410.22],
      ['2026-11-02T20:59:00.000Z', 412.37, 412.445, 412.12],
    ]);
    expect(String(candidates[4].high)).toBe('412.445');
    expect(candidates[0]).toEqual({
      symbol: 'MSFT',
      series: null,
      price: 404.55,
      high: 404.99,
      low: 403.87,
      quoteTime: '2026-10-30T13:30:00.000Z',
      source: 'alpha-vantage',
      origin: 'backfill',
      interval: '1m',
    });
    expect(candidates.every((c) => checkQuote(c).ok)).toBe(true);
    expect(covered).toEqual({ from: '2026-10-30T13:30:00.000Z', to: '2026-11-02T21:00:00.000Z' });
  });

  it('keeps only bars that start in [from, to)', async () => {
    const { h } = history(fixture('intraday-1min'));

    const { candidates, covered } = await h.historyOf(MSFT, new Date('2026-11-02T14:30:00.000Z'), new Date('2026-11-02T14:31:00.000Z'));

    expect(candidates.map((c) => c.quoteTime)).toEqual(['2026-11-02T14:30:00.000Z']);
    expect(covered).toEqual({ from: '2026-11-02T14:30:00.000Z', to: '2026-11-02T14:31:00.000Z' });
  });

  it('leaves out the bar of the minute still in progress', async () => {
    const { h } = history(fixture('intraday-1min'), new Date('2026-11-02T14:31:30.000Z'));

    const { candidates } = await h.historyOf(MSFT, new Date('2026-11-02T14:00:00.000Z'), new Date('2026-11-02T15:00:00.000Z'));

    expect(candidates.map((c) => c.quoteTime)).toEqual(['2026-11-02T14:30:00.000Z']);
  });

  it('rejects a bar without a high, a local time the spring change skipped, and lets validation judge a "-" close', async () => {
    const { h } = history(fixture('intraday-odd'), new Date('2026-03-09T14:00:00.000Z'));

    const { candidates, rejections } = await h.historyOf({ symbol: 'ODD', series: null }, new Date('2026-03-01T00:00:00.000Z'), new Date('2026-03-10T00:00:00.000Z'));

    expect(rejections).toEqual([
      { symbol: 'ODD', reason: 'missing_bar_range' },
      { symbol: 'ODD', reason: 'invalid_bar_time' },
    ]);
    expect(candidates.map((c) => [c.quoteTime, checkQuote(c).ok ? 'ok' : (checkQuote(c) as { reason: string }).reason])).toEqual([
      ['2026-03-09T13:30:00.000Z', 'ok'], // 09:30 EDT, the day after the spring change
      ['2026-03-09T13:32:00.000Z', 'invalid_price'],
    ]);
  });

  it('rejects a symbol Alpha Vantage answers with an Error Message', async () => {
    const { h } = history(fixture('intraday-error-message'));

    await expect(h.historyOf({ symbol: 'NOPE', series: null }, new Date('2026-11-02T14:00:00.000Z'), NOW)).resolves.toEqual({
      candidates: [],
      rejections: [{ symbol: 'NOPE', reason: 'upstream_error' }],
      rateLimit: null,
      covered: null,
    });
  });

  it.each(['note', 'information'])('treats a 200 answer with %s as an exhausted quota', async (name) => {
    const { h } = history(fixture(name));

    await expect(h.historyOf(MSFT, new Date('2026-11-02T14:00:00.000Z'), NOW)).rejects.toMatchObject({
      failure: 'quota',
      message: expect.stringMatching(/^alpha-vantage: upstream says: /),
    });
  });

  it('treats an answer without a time series as an upstream error', async () => {
    const { h } = history({ 'Meta Data': { '6. Time Zone': 'US/Eastern' } });

    await expect(h.historyOf(MSFT, new Date('2026-11-02T14:00:00.000Z'), NOW)).rejects.toMatchObject({ failure: 'bad_response' });
  });
});

describe('barStart', () => {
  it.each([
    ['2026-07-01 09:30:00', '2026-07-01T13:30:00.000Z'],
    ['2026-12-01 09:30:00', '2026-12-01T14:30:00.000Z'],
    ['2026-11-01 02:30:00', '2026-11-01T07:30:00.000Z'], // just after the clocks went back
  ])('%s US/Eastern → %s', (local, utc) => {
    expect(new Date(barStart(local, 'US/Eastern')!).toISOString()).toBe(utc);
  });

  it.each(['2026-03-08 02:30:00', '2026-11-01 01:30:00', '2026-07-01 09:30:15', '2026-07-01T09:30:00', '2026-02-30 09:30:00'])('refuses %p', (local) => {
    expect(barStart(local, 'US/Eastern')).toBeNull();
  });
});
