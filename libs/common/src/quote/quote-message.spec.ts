import { PoisonMessageError } from '../errors';
import type { Quote } from './quote';
import { decodeQuoteMessage, encodeQuoteMessage } from './quote-message';

const quote: Quote = {
  symbol: 'NIFTY 50',
  series: null,
  price: 25383.75,
  high: 25445.7,
  low: 25336.2,
  quoteTime: '2024-09-16T10:29:47.000Z',
  source: 'latest-stock-price',
};

describe('quote messages', () => {
  it('round-trips a quote with its run id, fetch time and schema version', () => {
    const body = encodeQuoteMessage(quote, 'run-1', '2024-09-16T10:30:00.000Z');

    expect(JSON.parse(body)).toMatchObject({ schemaVersion: 1, runId: 'run-1' });
    expect(decodeQuoteMessage(body)).toEqual({ schemaVersion: 1, runId: 'run-1', fetchedAt: '2024-09-16T10:30:00.000Z', quote });
  });

  it.each([
    ['not JSON', '{oops', 'not_json', 'body is not JSON'],
    ['empty', undefined, 'not_json', 'body is not JSON'],
    ['a future schema version', JSON.stringify({ schemaVersion: 2 }), 'unsupported_version', 'unsupported schemaVersion 2'],
    ['no schema version', JSON.stringify({ quote }), 'unsupported_version', 'unsupported schemaVersion undefined'],
    [
      'an invalid quote',
      JSON.stringify({ schemaVersion: 1, runId: 'r', fetchedAt: '2024-09-16T10:30:00.000Z', quote: { ...quote, high: 1 } }),
      'invalid_message',
      'quote.high: high_below_low',
    ],
  ])('refuses a message that is %s, with its kind and reason', (_, body, kind, reason) => {
    expect(() => decodeQuoteMessage(body)).toThrow(PoisonMessageError);
    expect(() => decodeQuoteMessage(body)).toThrow(expect.objectContaining({ kind, reason }));
  });
});
