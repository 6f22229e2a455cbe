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
      stored('2024-09-16T10:06:00.000Z', 20, 20, 9),
      stored('2024-09-16T10:04:59.999Z', 11, null, null),
    ];

    // 10:03 raised the day high 11 -> 13 and lowered the day low 10 -> 9 since 10:00
    expect(buildCandles(quotes, '5m', 'UTC')).toEqual([
      { time: '2024-09-16T10:00:00.000Z', open: 10, high: 13, low: 9, close: 11, count: 3 },
      { time: '2024-09-16T10:05:00.000Z', open: 20, high: 20, low: 20, close: 20, count: 1 },
    ]);
  });

  describe('intraday high/low on a day whose high and low were set before the first stored quote', () => {
    // Mumbai 09:15..09:20: the first quote already carries day high 110 / low 95, prices then trade 100-102
    const day = [
      stored('2024-09-16T03:45:00.000Z', 100, 110, 95),
      stored('2024-09-16T03:46:00.000Z', 102, 110, 95),
      stored('2024-09-16T03:47:00.000Z', 101, 110, 95),
      stored('2024-09-16T03:48:30.000Z', 101.5, 111.25, 95), // the day high rose during 09:17:00-09:18:30
      stored('2024-09-16T03:49:10.000Z', 100.5, 111.25, 94.5), // the day low fell during 09:18:30-09:19:10
      stored('2024-09-16T03:50:00.000Z', 100, 111.25, 94.5),
    ];

    it('takes each 1m candle’s range from its prices and from day-range moves since the previous quote', () => {
      const candles = buildCandles(day, '1m', 'Asia/Kolkata');

      expect(candles.map((c) => [c.time.slice(11, 16), c.high, c.low])).toEqual([
        ['03:45', 100, 100], // the first quote of the day: when 110 / 95 were reached is unknown
        ['03:46', 102, 102],
        ['03:47', 101, 101],
        ['03:48', 111.25, 101.5],
        ['03:49', 100.5, 94.5],
        ['03:50', 100, 100],
      ]);
      expect(candles.filter((c) => c.time !== '2024-09-16T03:48:00.000Z').every((c) => c.high <= 102)).toBe(true);
    });

    it('judges the first quote of a range by the stored quote before it, the same as over the whole day', () => {
      const whole = buildCandles(day, '1m', 'Asia/Kolkata');

      expect(buildCandles(day.slice(3), '1m', 'Asia/Kolkata', day[2])).toEqual(whole.slice(3));
      expect(buildCandles(day.slice(3), '1m', 'Asia/Kolkata')[0]).toMatchObject({ high: 101.5, low: 101.5 });
    });

    it('lets only the 1d candle span the day’s range', () => {
      expect(buildCandles(day, '1d', 'Asia/Kolkata')).toEqual([
        { time: '2024-09-15T18:30:00.000Z', open: 100, high: 111.25, low: 94.5, close: 100, count: 6 },
      ]);
      expect(buildCandles(day, '1h', 'Asia/Kolkata')).toEqual([
        { time: '2024-09-16T03:30:00.000Z', open: 100, high: 111.25, low: 94.5, close: 100, count: 6 },
      ]);
    });

    it('does not carry a day high over into the next trading day', () => {
      // 18:31 UTC is 00:01 in Mumbai on the 17th: a new day whose first quote says nothing about its interval
      const next = stored('2024-09-16T18:31:00.000Z', 99, 120, 90);

      expect(buildCandles([next], '1m', 'Asia/Kolkata', day[5])).toEqual([
        { time: '2024-09-16T18:31:00.000Z', open: 99, high: 99, low: 99, close: 99, count: 1 },
      ]);
    });

    it('learns nothing from a quote without a day range', () => {
      const gap = [stored('2024-09-16T03:45:00.000Z', 100, null, null), stored('2024-09-16T03:46:00.000Z', 101, 130, 80)];

      expect(buildCandles(gap, '1m', 'Asia/Kolkata').map((c) => [c.high, c.low])).toEqual([
        [100, 100],
        [101, 101],
      ]);
    });
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
