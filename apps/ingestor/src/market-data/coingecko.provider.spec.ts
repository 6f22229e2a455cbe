import { checkQuote, exchangeOfProvider } from '@app/common';
import { upstreamFixture } from '../../../../test/support/fixtures';
import { strictFake } from '../../../../test/support/strict-fake';
import { CoinGeckoProvider, parseInstant, readCoin, type CoinGeckoOptions } from './coingecko.provider';
import type { RapidApiClient } from './rapidapi.client';
import { UpstreamError } from './upstream.error';

const sample = upstreamFixture('coingecko/markets.sample.json');

function provider(options: Partial<CoinGeckoOptions> = {}, answer: (params: Record<string, string>) => Promise<unknown> = async () => sample) {
  const asked: { path: string; params: Record<string, string> }[] = [];
  const client = strictFake<RapidApiClient>({
    get: async (path: string, params: Record<string, string> = {}) => {
      asked.push({ path, params });
      return { body: await answer(params), rateLimit: null };
    },
  });
  return { p: new CoinGeckoProvider(client, { ids: null, vsCurrency: 'usd', symbols: null, ...options }), asked };
}

describe('CoinGeckoProvider', () => {
  it('asks for the top 50 coins by market cap when no ids are configured', async () => {
    const { p, asked } = provider();

    await p.fetch();

    expect(asked).toEqual([{ path: '/coins/markets', params: { vs_currency: 'usd', order: 'market_cap_desc', per_page: '50', page: '1' } }]);
  });

  it('asks for the configured ids in the configured currency', async () => {
    const { p, asked } = provider({ ids: ['ethereum', 'pepe'], vsCurrency: 'eur' });

    await p.fetch();

    expect(asked).toEqual([{ path: '/coins/markets', params: { vs_currency: 'eur', ids: 'ethereum,pepe', per_page: '2', page: '1' } }]);
  });

  it('splits long id lists into calls of 100', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => `coin-${i}`);
    const { p, asked } = provider({ ids }, async () => []);

    await p.fetch();

    expect(asked.map((a) => a.params.ids.split(',').length)).toEqual([100, 100, 30]);
  });

  it('stores exponent-notation prices as the numbers they are, under <SYMBOL>-<VS> with the coin id as series', async () => {
    const { p } = provider();

    const { candidates } = await p.fetch();

    expect(candidates.find((c) => c.series === 'pepe')).toEqual({
      symbol: 'PEPE-USD',
      series: 'pepe',
      price: 0.00001812,
      high: 0.0000187,
      low: 0.0000176,
      quoteTime: '2024-12-30T08:41:10.112Z',
      source: 'coingecko',
    });
    expect(candidates.map((c) => checkQuote(c).ok)).toEqual([true, true, true, true]);
  });

  it('keeps two coins that share a symbol apart by their id', async () => {
    const { p } = provider();

    const { candidates } = await p.fetch();

    expect(candidates.filter((c) => c.symbol === 'USDT-USD').map((c) => [c.series, c.price])).toEqual([
      ['tether', 0.998954],
      ['bridged-tether-some-chain', 1.001],
    ]);
  });

  it('rejects a coin without a 24 h range on its own and keeps the others', async () => {
    const { p } = provider();

    const { candidates, rejections } = await p.fetch();

    expect(rejections).toEqual([{ symbol: 'FRESH-USD', reason: 'missing_day_range' }]);
    expect(candidates.map((c) => c.symbol)).toEqual(['ETH-USD', 'PEPE-USD', 'USDT-USD', 'USDT-USD']);
  });

  it('keeps only the stored symbols SYMBOLS names', async () => {
    const { p } = provider({ symbols: ['PEPE-USD', 'FRESH-USD'] });

    const { candidates, rejections } = await p.fetch();

    expect(candidates.map((c) => c.series)).toEqual(['pepe']);
    expect(rejections).toEqual([{ symbol: 'FRESH-USD', reason: 'missing_day_range' }]);
  });

  it('rejects a requested id CoinGecko did not answer for', async () => {
    const { p } = provider({ ids: ['pepe', 'no-such-coin'] }, async () => [(sample as unknown[])[1]]);

    await expect(p.fetch()).resolves.toMatchObject({ rejections: [{ symbol: null, reason: 'unknown_coin_id' }] });
  });

  it('treats an answer that is not an array as an upstream error', async () => {
    const { p } = provider({}, async () => ({ status: { error_code: 10002, error_message: 'odd' } }));

    await expect(p.fetch()).rejects.toThrow(UpstreamError);
  });

  it('keeps the coins of earlier calls when a later call fails', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => (i === 0 ? 'pepe' : `coin-${i}`));
    const quota = new UpstreamError('coingecko', 'quota', 'upstream answered HTTP 429', { status: 429 });
    const { p } = provider({ ids }, async (params) => {
      if (params.ids.startsWith('pepe')) return [(sample as unknown[])[1]];
      throw quota;
    });

    const result = await p.fetch();

    expect(result.candidates.map((c) => c.series)).toEqual(['pepe']);
    expect(result.failure).toBe(quota);
  });

  it('never closes: no market-hours gate', () => {
    expect(exchangeOfProvider(provider().p.name)).toBeNull();
  });
});

describe('readCoin', () => {
  it('leaves a symbol that cannot be stored to validation', () => {
    const { candidate } = readCoin({ id: 'odd', symbol: 'ünï', current_price: 1, high_24h: 1, low_24h: 1, last_updated: '2024-12-30T08:41:10Z' }, 'usd');

    expect(checkQuote(candidate)).toEqual({ ok: false, reason: 'invalid_symbol', symbol: null });
  });
});

describe('parseInstant', () => {
  it.each([
    ['2024-12-30T08:41:10.112Z', '2024-12-30T08:41:10.112Z'],
    ['2024-12-30T08:41:10Z', '2024-12-30T08:41:10.000Z'],
    ['2024-12-30T14:11:10.112+05:30', '2024-12-30T08:41:10.112Z'],
    ['2024-12-30T08:41:10', null],
    ['yesterday', null],
    [null, null],
  ])('%s → %s', (value, expected) => {
    expect(parseInstant(value)).toBe(expected);
  });
});
