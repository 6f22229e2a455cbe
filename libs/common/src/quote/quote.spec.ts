import { candidateFactory } from '../../../../test/support/factories';
import { checkQuote, normaliseSymbol, upstreamNumber } from './quote';

const candidate = candidateFactory;

describe('checkQuote', () => {
  it('accepts a complete quote unchanged', () => {
    expect(checkQuote(candidate())).toEqual({ ok: true, quote: candidate() });
  });

  it.each([
    ['a missing price', { price: null }, 'invalid_price'],
    ['a zero price', { price: 0 }, 'invalid_price'],
    ['an infinite price', { price: Infinity }, 'invalid_price'],
    ['high below low', { high: 10, low: 20, price: 15 }, 'high_below_low'],
    ['a price above the day high', { price: 3000 }, 'price_outside_range'],
    ['a price below the day low', { price: 2900 }, 'price_outside_range'],
    ['an unparsable time', { quoteTime: null }, 'invalid_quote_time'],
    ['a time with an offset instead of UTC', { quoteTime: '2024-09-16T15:59:47+05:30' }, 'invalid_quote_time'],
    ['a lower-case symbol', { symbol: 'reliance' }, 'invalid_symbol'],
    ['an unknown source', { source: 'other' as never }, 'invalid_source'],
  ])('rejects %s as %s', (_, overrides, reason) => {
    expect(checkQuote(candidate(overrides))).toEqual({ ok: false, reason, symbol: expect.anything() });
  });

  it('accepts a quote without day high and low', () => {
    expect(checkQuote(candidate({ high: null, low: null })).ok).toBe(true);
  });

  it('accepts the labels of a backfilled bar and of a live quote', () => {
    expect(checkQuote(candidate({ origin: 'backfill', interval: '5m' }))).toEqual({ ok: true, quote: candidate({ origin: 'backfill', interval: '5m' }) });
    expect(checkQuote(candidate({ origin: 'live' })).ok).toBe(true);
  });

  it.each([
    ['a backfilled quote without its interval', { origin: 'backfill' as const }, 'missing_interval'],
    ['an interval on a live quote', { interval: '1m' as const }, 'interval_without_backfill'],
    ['an unknown origin', { origin: 'replay' as never }, 'invalid_origin'],
    ['an interval that is no bar length', { origin: 'backfill' as const, interval: '2m' as never }, 'invalid_interval'],
  ])('rejects %s as %s', (_, overrides, reason) => {
    expect(checkQuote(candidate(overrides))).toMatchObject({ ok: false, reason });
  });
});

describe('upstreamNumber', () => {
  it.each([
    [2945.35, 2945.35],
    ['2945.35', 2945.35],
    ['1,234.5', 1234.5],
    ['1.812e-05', 0.00001812],
    [0, 0],
  ])('reads %p as %p', (input, expected) => {
    expect(upstreamNumber(input)).toBe(expected);
  });

  it.each(['-', '', null, undefined, 'abc', '12abc', NaN, Infinity, {}])('reads %p as no value', (input) => {
    expect(upstreamNumber(input)).toBeNull();
  });

  it('keeps the decimal the upstream wrote: 13421.69 stays 13421.69', () => {
    expect(String(upstreamNumber(JSON.parse('13421.69')))).toBe('13421.69');
  });
});

describe('normaliseSymbol', () => {
  it.each([
    [' reliance ', 'RELIANCE'],
    ['nifty  50', 'NIFTY 50'],
    ['m&m', 'M&M'],
    ['bajaj-auto', 'BAJAJ-AUTO'],
    ['^gspc', '^GSPC'],
  ])('%p → %p', (raw, symbol) => {
    expect(normaliseSymbol(raw)).toBe(symbol);
  });

  it.each(['', ' ', 'A'.repeat(41), 'DROP TABLE;', '<script>', 'A#B', 'Ω'])('refuses %p', (raw) => {
    expect(normaliseSymbol(raw)).toBeNull();
  });
});
