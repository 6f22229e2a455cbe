import { QuoteTable } from './quote-table';

const live = {
  symbol: 'MSFT',
  series: null,
  price: 410.37,
  high: 411,
  low: 409.5,
  quoteTime: '2026-11-02T14:30:00.000Z',
  source: 'alpha-vantage' as const,
};

describe('QuoteTable labels', () => {
  it('keeps the origin and interval of a backfilled bar from the history item to the stored quote', () => {
    const bar = { ...live, origin: 'backfill' as const, interval: '1m' as const };

    const stored = QuoteTable.toStoredQuote(QuoteTable.historyItem(bar, '2026-11-02T16:00:00.000Z'));

    expect(stored).toStrictEqual({ ...bar, insertedAt: '2026-11-02T16:00:00.000Z' });
  });

  it('adds no labels to a live quote stored without them', () => {
    const stored = QuoteTable.toStoredQuote(QuoteTable.historyItem(live, '2026-11-02T14:30:05.000Z'));

    expect(stored).toStrictEqual({ ...live, insertedAt: '2026-11-02T14:30:05.000Z' });
  });
});
