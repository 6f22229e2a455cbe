import { checkQuote } from '@app/common';
import { upstreamFixture } from '../../../../test/support/fixtures';
import { strictFake } from '../../../../test/support/strict-fake';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';
import { toYahooCandidate, YahooFinanceProvider } from './yahoo-finance.provider';

const sample = upstreamFixture('yahoo-finance/get-quotes.sample.json');

function provider(symbols: string[], body: unknown = sample) {
  const asked: Record<string, string>[] = [];
  const client = strictFake<RapidApiClient>({
    get: async (_path: string, params: Record<string, string> = {}) => {
      asked.push(params);
      return { body, rateLimit: null };
    },
  });
  return { p: new YahooFinanceProvider(client, { symbols }), asked };
}

describe('YahooFinanceProvider', () => {
  it('asks for many symbols in one call and maps epoch seconds to UTC instants', async () => {
    const { p, asked } = provider(['AAPL', '^GSPC', 'BAD', 'ODD']);

    const { candidates, rejections } = await p.fetch();

    expect(asked).toEqual([{ region: 'US', symbols: 'AAPL,^GSPC,BAD,ODD' }]);
    expect(rejections).toEqual([]);
    expect(candidates[0]).toEqual({
      symbol: 'AAPL',
      series: null,
      price: 216.32,
      high: 217.22,
      low: 213.92,
      quoteTime: '2024-09-13T20:00:01.000Z',
      source: 'yahoo-finance',
    });
    expect(candidates.map((c) => [c.symbol, checkQuote(c).ok ? 'ok' : (checkQuote(c) as { reason: string }).reason])).toEqual([
      ['AAPL', 'ok'],
      ['^GSPC', 'ok'],
      ['BAD', 'invalid_price'],
      ['ODD', 'price_outside_range'],
    ]);
  });

  it('rejects a requested symbol Yahoo did not answer for', async () => {
    const { p } = provider(['AAPL', 'NOPE']);

    await expect(p.fetch()).resolves.toMatchObject({ rejections: [{ symbol: 'NOPE', reason: 'unknown_symbol' }] });
  });

  it('splits long symbol lists into calls of 50', async () => {
    const symbols = Array.from({ length: 120 }, (_, i) => `S${i}`);
    const { p, asked } = provider(symbols, { quoteResponse: { result: [], error: null } });

    await p.fetch();

    expect(asked.map((a) => a.symbols.split(',').length)).toEqual([50, 50, 20]);
  });

  it('treats an answer without quoteResponse.result as an upstream error', async () => {
    const { p } = provider(['AAPL'], { message: 'odd' });

    await expect(p.fetch()).rejects.toThrow(UpstreamError);
  });

  it('reads {raw, fmt} numbers and refuses a time that is not whole epoch seconds', () => {
    expect(toYahooCandidate({ symbol: 'X', regularMarketPrice: { raw: 1.5, fmt: '1.50' }, regularMarketTime: 'soon' })).toMatchObject({
      price: 1.5,
      quoteTime: null,
    });
  });
});
