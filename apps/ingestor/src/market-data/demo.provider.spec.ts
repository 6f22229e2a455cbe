import { checkQuote } from '@app/common';
import { DemoProvider } from './demo.provider';

describe('DemoProvider', () => {
  const at = (iso: string) => () => new Date(iso);

  it('labels every quote as demo data and produces valid, two-decimal prices', async () => {
    const demo = new DemoProvider({ symbols: null, now: at('2026-01-05T14:30:12.345Z') });

    const { candidates, rateLimit } = await demo.fetch();

    expect(rateLimit).toBeNull();
    expect(candidates.map((c) => c.symbol)).toEqual(DemoProvider.symbols);
    for (const c of candidates) {
      expect(c.source).toBe('demo');
      expect(c.quoteTime).toBe('2026-01-05T14:30:12.000Z');
      expect(String(c.price)).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(checkQuote(c).ok).toBe(true);
    }
  });

  it('walks from the previous price and widens the day range', async () => {
    let r = 1; // each step +0.5%
    const demo = new DemoProvider({ symbols: ['ACME'], now: at('2026-01-05T14:30:00Z'), random: () => r });
    const first = (await demo.fetch()).candidates[0];
    r = 0; // then -0.5%
    const second = (await demo.fetch()).candidates[0];

    expect(first.price).toBe(125.63);
    expect(second.price).toBe(125);
    expect(second).toMatchObject({ high: 125.63, low: 125 });
  });

  it('keeps only the configured symbols', async () => {
    const demo = new DemoProvider({ symbols: ['HOOLI', 'NOT-DEMO'] });

    expect((await demo.fetch()).candidates.map((c) => c.symbol)).toEqual(['HOOLI']);
  });
});
