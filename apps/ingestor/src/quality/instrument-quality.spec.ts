import { quoteFactory } from '../../../../test/support/factories';
import { compareSources, sameInstrument } from './instrument-quality';

const yahoo = (price: number, over = {}) => quoteFactory({ symbol: 'MSFT', series: null, price, high: null, low: null, source: 'yahoo-finance', quoteTime: '2024-09-13T20:00:01.000Z', ...over });
const alpha = (price: number, over = {}) => quoteFactory({ symbol: 'MSFT', series: null, price, high: null, low: null, source: 'alpha-vantage', quoteTime: '2024-09-13T20:00:00.000Z', ...over });

describe('sameInstrument', () => {
  it('puts quotes of one symbol without series together', () => {
    expect(sameInstrument([yahoo(400), alpha(420)])).toEqual([{ symbol: 'MSFT', series: null, quotes: [yahoo(400), alpha(420)] }]);
  });

  it('joins a quote without series to the one series of the symbol', () => {
    const coin = quoteFactory({ symbol: 'BTC-USD', series: 'bitcoin', source: 'coingecko' });
    const stock = quoteFactory({ symbol: 'BTC-USD', series: null, source: 'yahoo-finance' });

    expect(sameInstrument([coin, stock])).toEqual([{ symbol: 'BTC-USD', series: 'bitcoin', quotes: [coin, stock] }]);
  });

  it('keeps two series apart and compares a quote without series with neither', () => {
    const eq = quoteFactory({ series: 'EQ', source: 'latest-stock-price' });
    const be = quoteFactory({ series: 'BE', source: 'latest-stock-price', price: 80.5 });
    const bare = quoteFactory({ series: null, source: 'yahoo-finance' });

    expect(sameInstrument([eq, bare, be])).toEqual([
      { symbol: 'RELIANCE', series: 'EQ', quotes: [eq] },
      { symbol: 'RELIANCE', series: 'BE', quotes: [be] },
    ]);
  });

  it('counts the latest quote of a source once', () => {
    const older = quoteFactory({ series: null, source: 'latest-stock-price', quoteTime: '2024-09-16T10:28:00.000Z' });
    const newer = quoteFactory({ series: 'EQ', source: 'latest-stock-price', quoteTime: '2024-09-16T10:29:47.000Z' });

    expect(sameInstrument([older, newer])[0].quotes).toEqual([newer]);
  });
});

describe('compareSources', () => {
  it('gives two sources their pair distance and the lag of their quote times, both outliers beyond the threshold', () => {
    const comparison = compareSources([yahoo(400), alpha(420)], 50);

    expect(comparison).toEqual({
      sources: [
        { source: 'yahoo-finance', price: 400, quoteTime: '2024-09-13T20:00:01.000Z', divergenceBps: 487.8048780487805 },
        { source: 'alpha-vantage', price: 420, quoteTime: '2024-09-13T20:00:00.000Z', divergenceBps: 487.8048780487805 },
      ],
      divergenceBps: 487.8048780487805,
      lagSeconds: 1,
      outliers: ['yahoo-finance', 'alpha-vantage'],
    });
  });

  it('flags nothing at or inside the threshold', () => {
    // 100 vs 100.4: 39.92 bps
    expect(compareSources([yahoo(100), alpha(100.4)], 50)?.outliers).toEqual([]);
    expect(compareSources([yahoo(100), alpha(100.4)], 39.920159680639294)?.outliers).toEqual([]);
    expect(compareSources([yahoo(100), alpha(100.4)], 39.9)?.outliers).toEqual(['yahoo-finance', 'alpha-vantage']);
  });

  it('with three sources measures each from the median of all, so only the wrong one stands out', () => {
    const third = quoteFactory({ symbol: 'MSFT', series: null, price: 400.4, source: 'demo', quoteTime: '2024-09-13T19:59:00.000Z' });

    const comparison = compareSources([yahoo(400), alpha(420), third], 50)!;

    expect(comparison.sources.map((s) => [s.source, s.divergenceBps])).toEqual([
      ['yahoo-finance', 9.995002498750056],
      ['alpha-vantage', 477.81569965870364],
      ['demo', 0],
    ]);
    expect(comparison.outliers).toEqual(['alpha-vantage']);
    expect(comparison.lagSeconds).toBe(61);
  });

  it('compares nothing with one source', () => {
    expect(compareSources([yahoo(400)], 50)).toBeNull();
  });
});
