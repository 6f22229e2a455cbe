import { checkQuote } from '@app/common';
import { upstreamFixture } from '../../../../test/support/fixtures';
import { strictFake } from '../../../../test/support/strict-fake';
import { AlphaVantageProvider, toAlphaVantageCandidate } from './alpha-vantage.provider';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';

const fixture = (name: string) => upstreamFixture(`alpha-vantage/${name}.json`);
const AFTER_CLOSE = new Date('2024-09-14T10:00:00.000Z');

function provider(bodies: Record<string, unknown>) {
  const asked: string[] = [];
  const client = strictFake<RapidApiClient>({
    get: async (path: string, params: Record<string, string> = {}) => {
      asked.push(`${path}?function=${params.function}&symbol=${params.symbol}`);
      const body = bodies[params.symbol];
      if (body instanceof Error) throw body;
      return { body, rateLimit: null };
    },
  });
  return { p: new AlphaVantageProvider(client, { symbols: Object.keys(bodies), now: () => AFTER_CLOSE }), asked };
}

describe('AlphaVantageProvider', () => {
  it('calls GLOBAL_QUOTE once per symbol and reads the string fields exactly', async () => {
    const { p, asked } = provider({ MSFT: fixture('msft') });

    const { candidates } = await p.fetch();

    expect(asked).toEqual(['/query?function=GLOBAL_QUOTE&symbol=MSFT']);
    expect(candidates).toEqual([
      {
        symbol: 'MSFT',
        series: null,
        price: 430.59,
        high: 431.88,
        low: 427.01,
        quoteTime: '2024-09-13T20:00:00.000Z', // the session's close, 16:00 in New York (EDT)
        source: 'alpha-vantage',
      },
    ]);
  });

  it('times a quote fetched during the session at the fetch, not at the coming close', () => {
    const during = new Date('2024-09-13T15:00:00.400Z');

    expect(toAlphaVantageCandidate((fixture('msft') as Record<string, Record<string, unknown>>)['Global Quote'], during).quoteTime).toBe(
      '2024-09-13T15:00:00.000Z',
    );
  });

  it('rejects an unknown symbol and an Error Message on their own, and validates the rest', async () => {
    const { p } = provider({ MSFT: fixture('msft'), NOPE: fixture('unknown'), WHAT: fixture('error-message'), ODD: fixture('bad-row') });

    const { candidates, rejections } = await p.fetch();

    expect(rejections).toEqual([
      { symbol: 'NOPE', reason: 'unknown_symbol' },
      { symbol: 'WHAT', reason: 'upstream_error' },
    ]);
    expect(candidates.map((c) => [c.symbol, checkQuote(c).ok])).toEqual([
      ['MSFT', true],
      ['ODD', false],
    ]);
  });

  it.each(['note', 'information'])('treats a 200 answer with %s as an exhausted quota', async (name) => {
    const { p } = provider({ MSFT: fixture(name) });

    await expect(p.fetch()).rejects.toMatchObject({ failure: 'quota', message: expect.stringMatching(/alpha-vantage: upstream says: /) });
  });

  it('stops at the first quota answer and keeps the quotes fetched before it', async () => {
    const { p, asked } = provider({ MSFT: fixture('msft'), IBM: fixture('note'), AAPL: fixture('msft') });

    const result = await p.fetch();

    expect(asked).toHaveLength(2);
    expect(result.candidates).toHaveLength(1);
    expect(result.failure).toBeInstanceOf(UpstreamError);
  });
});
