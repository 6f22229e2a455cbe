import { checkQuote } from '@app/common';
import { strictFake } from '../../../../test/support/strict-fake';
import { upstreamFixture } from '../../../../test/support/fixtures';
import { LatestStockPriceProvider, parseNseTime, seriesOf, toCandidate } from './latest-stock-price.provider';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';

const sample = upstreamFixture('latest-stock-price/any.sample.json') as Record<string, unknown>[];
const rateLimit = { limit: 500, remaining: 499, resetSeconds: 100, observedAt: '2024-09-16T10:30:00.000Z' };

function provider(answers: Record<string, unknown>, options = { symbols: null as string[] | null, indices: [] as string[] }) {
  const calls: string[] = [];
  const client = strictFake<RapidApiClient>({
    get: async (path: string, params: Record<string, string> = {}) => {
      const key = params.Indices ? `${path}?Indices=${params.Indices}` : path;
      calls.push(key);
      if (!(key in answers)) throw new Error(`unexpected call ${key}`);
      return { body: answers[key], rateLimit };
    },
  });
  return { provider: new LatestStockPriceProvider(client, options), calls };
}

describe('LatestStockPriceProvider', () => {
  it('maps every row of GET /any, keeping day high/low, series and the UTC instant', async () => {
    const { provider: p, calls } = provider({ '/any': sample });

    const { candidates, rateLimit: quota } = await p.fetch();

    expect(calls).toEqual(['/any']);
    expect(quota).toEqual(rateLimit);
    expect(candidates).toContainEqual({
      symbol: 'RELIANCE',
      series: 'EQ',
      price: 2945.35,
      high: 2961.35,
      low: 2931.1,
      quoteTime: '2024-09-16T10:29:47.000Z',
      source: 'latest-stock-price',
    });
    expect(candidates).toHaveLength(5);
  });

  it('keeps an index row, with no series', async () => {
    const { candidates } = await provider({ '/any': sample }).provider.fetch();

    expect(candidates.find((c) => c.symbol === 'NIFTY 50')).toMatchObject({ series: null, price: 25383.75 });
  });

  it('keeps one symbol on two series as two instruments, each with its own time', async () => {
    const { candidates } = await provider({ '/any': sample }).provider.fetch();

    const suzlon = candidates.filter((c) => c.symbol === 'SUZLON');
    expect(suzlon.map((c) => [c.series, c.price, c.quoteTime])).toEqual([
      ['EQ', 80.97, '2024-09-16T10:29:47.000Z'],
      ['BE', 80.5, '2024-08-27T09:59:58.000Z'],
    ]);
  });

  it('turns "-" fields into missing values, which validation rejects', async () => {
    const { candidates } = await provider({ '/any': sample }).provider.fetch();

    const halted = candidates.find((c) => c.symbol === 'HALTED')!;
    expect(halted).toMatchObject({ price: null, high: null, low: null });
    expect(checkQuote(halted)).toEqual({ ok: false, reason: 'invalid_price', symbol: 'HALTED' });
  });

  it('keeps only SYMBOLS when they are set', async () => {
    const { candidates } = await provider({ '/any': sample }, { symbols: ['RELIANCE', 'NIFTY 50'], indices: [] }).provider.fetch();

    expect(candidates.map((c) => c.symbol)).toEqual(['NIFTY 50', 'RELIANCE']);
  });

  it('asks for each index in INDICES and merges overlapping answers', async () => {
    const { provider: p, calls } = provider(
      { '/price?Indices=NIFTY 50': sample.slice(0, 3), '/price?Indices=NIFTY BANK': sample.slice(1, 2) },
      { symbols: null, indices: ['NIFTY 50', 'NIFTY BANK'] },
    );

    const { candidates } = await p.fetch();

    expect(calls).toEqual(['/price?Indices=NIFTY 50', '/price?Indices=NIFTY BANK']);
    expect(candidates.map((c) => c.symbol)).toEqual(['NIFTY 50', 'RELIANCE', 'SUZLON']);
  });

  it('treats an answer that is not an array as an upstream error', async () => {
    const { provider: p } = provider({ '/any': { message: 'Something went wrong' } });

    await expect(p.fetch()).rejects.toThrow(UpstreamError);
  });

  it('maps a row that is not an object to a candidate that validation rejects', () => {
    expect(checkQuote(toCandidate('garbage'))).toMatchObject({ ok: false, reason: 'invalid_symbol' });
  });
});

describe('parseNseTime', () => {
  it.each([
    ['16-Sep-2024 15:59:47', '2024-09-16T10:29:47.000Z'],
    ['1-Jan-2024 00:10:00', '2023-12-31T18:40:00.000Z'],
    ['27-Aug-2024 15:29:58', '2024-08-27T09:59:58.000Z'],
  ])('reads %p (IST) as %p', (text, utc) => {
    expect(parseNseTime(text)).toBe(utc);
  });

  it.each(['', '-', null, 42, '2024-09-16 15:59:47', '31-Feb-2024 10:00:00'])('refuses %p', (text) => {
    expect(parseNseTime(text)).toBeNull();
  });
});

describe('seriesOf', () => {
  it.each([
    ['RELIANCE', 'RELIANCEEQN', 'EQ'],
    ['SUZLON', 'SUZLONBEN', 'BE'],
    ['NIFTY 50', 'NIFTY 50', null],
    ['TCS', undefined, null],
    ['TCS', 'INFYEQN', null],
  ])('%p with identifier %p is on series %p', (symbol, identifier, series) => {
    expect(seriesOf(symbol, identifier)).toBe(series);
  });
});
