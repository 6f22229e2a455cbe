import { parseNseTime } from '../../apps/ingestor/src/market-data/latest-stock-price.provider';
import { centsText, centsValue, nseTime, PricePath, soakIndex, soakSymbol, upstreamRow } from './price-path';

describe('PricePath', () => {
  it('gives the same quotes for the same seed, whatever ticks were asked before', () => {
    const a = new PricePath(7, 20, 1000);
    const b = new PricePath(7, 20, 1000);

    a.at(1001);
    const fromA = a.at(1005);
    const fromB = b.at(1005);

    expect(fromA).toEqual(fromB);
  });

  it('gives another path for another seed', () => {
    expect(new PricePath(1, 20, 0).at(3)).not.toEqual(new PricePath(2, 20, 0).at(3));
  });

  it('keeps every price between the day low and high, and moves', () => {
    const path = new PricePath(3, 50, 0);
    const first = path.at(0);
    const later = path.at(200);

    for (const q of later) {
      expect(q.lowCents).toBeLessThanOrEqual(q.priceCents);
      expect(q.priceCents).toBeLessThanOrEqual(q.highCents);
    }
    expect(later.filter((q, i) => q.priceCents !== first[i].priceCents).length).toBeGreaterThan(40);
  });

  it('reads a generated tick back, and nothing for a tick never generated', () => {
    const path = new PricePath(5, 3, 10);
    const quotes = path.at(12);

    expect(path.quote(12, 2)).toEqual(quotes[2]);
    expect(path.quote(99, 0)).toBeNull();
  });
});

describe('upstream rows', () => {
  it('writes prices as exact decimals and times as the provider parses them', () => {
    const row = upstreamRow({ symbol: soakSymbol(0), index: 0, priceCents: 294535, highCents: 296105, lowCents: 100 }, Date.UTC(2026, 11, 6, 10, 29, 47));

    expect(JSON.stringify(row)).toContain('"lastPrice":2945.35');
    expect(JSON.stringify(row)).toContain('"dayLow":1,');
    expect(parseNseTime(row.lastUpdateTime)).toBe('2026-12-06T10:29:47.000Z');
  });

  it('converts paise to decimal text without float noise', () => {
    expect(centsText(5)).toBe('0.05');
    expect(centsText(123456789)).toBe('1234567.89');
    expect(centsValue(110)).toBe(1.1);
    expect(nseTime(Date.UTC(2024, 8, 16, 10, 29, 47))).toBe('16-Sep-2024 15:59:47');
  });

  it('maps symbols to indexes and back', () => {
    expect(soakSymbol(41)).toBe('SOAK0042');
    expect(soakIndex('SOAK0042')).toBe(41);
    expect(soakIndex('RELIANCE')).toBeNull();
  });
});
