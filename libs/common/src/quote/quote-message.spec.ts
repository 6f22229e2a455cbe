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

const backfilled: Quote = {
  symbol: 'MSFT',
  series: null,
  price: 410.37,
  high: 410.52,
  low: 410.1,
  quoteTime: '2026-11-02T14:30:00.000Z',
  source: 'alpha-vantage',
  origin: 'backfill',
  interval: '1m',
};

const envelope = { runId: 'r', fetchedAt: '2024-09-16T10:30:00.000Z' };

describe('quote messages', () => {
  it('round-trips a quote with its run id, fetch time and schema version', () => {
    const body = encodeQuoteMessage(quote, 'run-1', '2024-09-16T10:30:00.000Z');

    expect(JSON.parse(body)).toMatchObject({ schemaVersion: 1, runId: 'run-1' });
    expect(decodeQuoteMessage(body)).toEqual({ schemaVersion: 1, runId: 'run-1', fetchedAt: '2024-09-16T10:30:00.000Z', quote });
  });

  it('writes a live quote exactly as the previous release did, also when it says origin live', () => {
    const before = JSON.stringify({ schemaVersion: 1, runId: 'run-1', fetchedAt: '2024-09-16T10:30:00.000Z', quote });

    expect(encodeQuoteMessage(quote, 'run-1', '2024-09-16T10:30:00.000Z')).toBe(before);
    expect(encodeQuoteMessage({ ...quote, origin: 'live' }, 'run-1', '2024-09-16T10:30:00.000Z')).toBe(before);
  });

  it('writes a backfilled quote as version 2 and reads it back with its origin and interval', () => {
    const body = encodeQuoteMessage(backfilled, 'backfill-1', '2026-11-02T16:00:00.000Z');

    expect(JSON.parse(body)).toMatchObject({ schemaVersion: 2, quote: { origin: 'backfill', interval: '1m' } });
    expect(decodeQuoteMessage(body).quote).toEqual(backfilled);
  });

  it('reads a version-2 live quote', () => {
    const body = JSON.stringify({ schemaVersion: 2, ...envelope, quote: { ...quote, origin: 'live' } });

    expect(decodeQuoteMessage(body).quote).toEqual({ ...quote, origin: 'live' });
  });

  it.each([
    ['not JSON', '{oops', 'not_json', 'body is not JSON'],
    ['empty', undefined, 'not_json', 'body is not JSON'],
    ['a future schema version', JSON.stringify({ schemaVersion: 3 }), 'unsupported_version', 'unsupported schemaVersion 3'],
    ['no schema version', JSON.stringify({ quote }), 'unsupported_version', 'unsupported schemaVersion undefined'],
    ['an invalid quote', JSON.stringify({ schemaVersion: 1, ...envelope, quote: { ...quote, high: 1 } }), 'invalid_message', 'quote.high: high_below_low'],
    [
      'a version-1 quote with labels',
      JSON.stringify({ schemaVersion: 1, ...envelope, quote: backfilled }),
      'invalid_message',
      'quote.origin: labels_need_schema_version_2',
    ],
    ['a version-2 quote without origin', JSON.stringify({ schemaVersion: 2, ...envelope, quote }), 'invalid_message', 'quote.origin: missing_origin'],
    [
      'a backfilled quote without interval',
      JSON.stringify({ schemaVersion: 2, ...envelope, quote: { ...backfilled, interval: undefined } }),
      'invalid_message',
      'quote.interval: missing_interval',
    ],
    [
      'an interval that is no bar length',
      JSON.stringify({ schemaVersion: 2, ...envelope, quote: { ...backfilled, interval: '7m' } }),
      'invalid_message',
      expect.stringMatching(/^quote\.interval: /),
    ],
  ])('refuses a message that is %s, with its kind and reason', (_, body, kind, reason) => {
    expect(() => decodeQuoteMessage(body)).toThrow(PoisonMessageError);
    expect(() => decodeQuoteMessage(body)).toThrow(expect.objectContaining({ kind, reason }));
  });
});
