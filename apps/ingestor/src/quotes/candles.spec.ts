import { quoteFactory } from '../../../../test/support/factories';
import { bucketStart, buildCandles } from './candles';

const stored = (quoteTime: string, price: number, high: number | null = price, low: number | null = price) => ({
  ...quoteFactory({ quoteTime, price, high, low }),
  insertedAt: quoteTime,
});

describe('candles', () => {
  it('builds OHLC and count per interval from quotes in any order', () => {
    const quotes = [
      stored('2024-09-16T10:03:00.000Z', 12, 13, 9),
      stored('2024-09-16T10:00:00.000Z', 10, 11, 10),
      stored('2024-09-16T10:06:00.000Z', 20),
      stored('2024-09-16T10:04:59.999Z', 11, null, null),
    ];

    expect(buildCandles(quotes, '5m', 'UTC')).toEqual([
      { time: '2024-09-16T10:00:00.000Z', open: 10, high: 13, low: 9, close: 11, count: 3 },
      { time: '2024-09-16T10:05:00.000Z', open: 20, high: 20, low: 20, close: 20, count: 1 },
    ]);
  });

  it('starts hourly and daily candles on the exchange’s own clock', () => {
    // 10:29:47 UTC is 15:59:47 in Mumbai (UTC+05:30)
    expect(bucketStart('2024-09-16T10:29:47.000Z', '1h', 'Asia/Kolkata').toUTC().toISO()).toBe('2024-09-16T09:30:00.000Z');
    expect(bucketStart('2024-09-16T20:00:00.000Z', '1d', 'Asia/Kolkata').toUTC().toISO()).toBe('2024-09-16T18:30:00.000Z');
    expect(bucketStart('2024-09-16T20:00:00.000Z', '1d', 'UTC').toUTC().toISO()).toBe('2024-09-16T00:00:00.000Z');
    // New York daily candles follow daylight saving time
    expect(bucketStart('2024-01-16T20:00:00.000Z', '1d', 'America/New_York').toUTC().toISO()).toBe('2024-01-16T05:00:00.000Z');
  });
});
