import { parseMarketHours, tradingSessionsOn, type MarketHours } from '@app/common';
import { CronTime } from 'cron';
import { expectedBuckets, isLocalDate, lastTradingDay, minuteMatcher } from './expected-minutes';

const iso = (ms: number) => new Date(ms).toISOString();

describe('expected minutes', () => {
  it('expects every minute of an NSE session with the default schedule: 375, the closing minute left out', () => {
    const buckets = expectedBuckets('* * * * *', tradingSessionsOn('NSE', '2026-11-23'));

    expect(buckets).toHaveLength(375);
    expect([iso(buckets[0].start), iso(buckets[0].end)]).toEqual(['2026-11-23T03:45:00.000Z', '2026-11-23T03:46:00.000Z']);
    expect(iso(buckets[374].start)).toBe('2026-11-23T09:59:00.000Z');
  });

  it('expects nothing on a holiday or a weekend, and the short session of an early close', () => {
    expect(expectedBuckets('* * * * *', tradingSessionsOn('NSE', '2026-11-24'))).toEqual([]);
    expect(expectedBuckets('* * * * *', tradingSessionsOn('NSE', '2026-12-05'))).toEqual([]);
    expect(expectedBuckets('* * * * *', tradingSessionsOn('NYSE', '2026-11-27'))).toHaveLength(210);
  });

  it('follows a sparser schedule: one bucket per firing, up to the next one', () => {
    const buckets = expectedBuckets('*/5 * * * *', tradingSessionsOn('NSE', '2026-11-23'));

    expect(buckets).toHaveLength(75);
    expect(buckets[0]).toEqual({ start: Date.parse('2026-11-23T03:45:00Z'), end: Date.parse('2026-11-23T03:50:00Z') });
    expect(iso(buckets[74].end)).toBe('2026-11-23T10:00:00.000Z');
  });

  it('judges a schedule with seconds by the minute, and assumes the default one with INGEST_CRON=off', () => {
    const sessions = tradingSessionsOn('NSE', '2026-11-23');

    expect(expectedBuckets('*/5 * * * * *', sessions)).toHaveLength(375);
    expect(expectedBuckets(null, sessions)).toHaveLength(375);
  });

  it('expects the whole UTC day of a market that never closes', () => {
    expect(expectedBuckets('* * * * *', tradingSessionsOn('always', '2026-11-24'))).toHaveLength(1440);
  });

  it('fires in the same minutes as the cron library', () => {
    for (const cron of ['*/7 9-11 * * 1-5', '0,30 * 1,15 * mon', '15 10 * 11 *']) {
      const fires = minuteMatcher(cron);
      const time = new CronTime(cron);
      let from = new Date('2026-11-01T00:00:00Z');
      for (let i = 0; i < 12; i++) {
        const next = time.getNextDateFrom(from).toJSDate();
        const before = new Date(next.getTime() - 60_000);
        expect([cron, iso(next.getTime()), fires(next), fires(before) && before > from]).toEqual([cron, iso(next.getTime()), true, false]);
        from = next;
      }
    }
  });

  it('finds the last trading day: yesterday on a holiday, Friday on a weekend, today once its session has run a minute', () => {
    expect(lastTradingDay('NSE', new Date('2026-11-24T06:00:00Z'))).toBe('2026-11-23');
    expect(lastTradingDay('NSE', new Date('2026-12-06T06:00:00Z'))).toBe('2026-12-04');
    expect(lastTradingDay('NSE', new Date('2026-12-07T03:46:00Z'))).toBe('2026-12-04');
    expect(lastTradingDay('NSE', new Date('2026-12-07T03:47:00Z'))).toBe('2026-12-07');
    expect(lastTradingDay('always', new Date('2026-12-06T00:30:00Z'))).toBe('2026-12-06');
    const saturdays = parseMarketHours('Sat 09:00-10:00 UTC') as MarketHours;
    expect(lastTradingDay(saturdays, new Date('2026-12-06T06:00:00Z'))).toBe('2026-12-05');
  });

  it('takes only real dates written YYYY-MM-DD', () => {
    expect(['2026-11-23', '2028-02-29'].map(isLocalDate)).toEqual([true, true]);
    expect(['2026-02-30', '2026-13-01', '23-11-2026', '2026-11-23T00:00:00Z', 'yesterday'].map(isLocalDate)).toEqual([false, false, false, false, false]);
  });
});
