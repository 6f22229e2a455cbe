import type { Quote, QuoteCandidate } from '@app/common';

/** A valid quote; override what the test is about. */
export const quoteFactory = (overrides: Partial<Quote> = {}): Quote => ({
  symbol: 'RELIANCE',
  series: 'EQ',
  price: 2945.35,
  high: 2961.35,
  low: 2931.1,
  quoteTime: '2024-09-16T10:29:47.000Z',
  source: 'latest-stock-price',
  ...overrides,
});

export const candidateFactory = (overrides: Partial<QuoteCandidate> = {}): QuoteCandidate => ({
  ...quoteFactory(),
  ...overrides,
});
