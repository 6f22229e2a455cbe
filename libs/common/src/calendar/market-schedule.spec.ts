import { isMarketOpen, parseMarketHours, type MarketHours } from '../config/market-hours';
import { PROVIDER_NAMES } from '../quote/quote';
import { exchangeOfProvider } from './calendars';
import { describeSchedule, marketStateAt, resolveMarketSchedule, scheduleZone, tradingSessionsOn } from './market-schedule';
import { describeMarketState } from './market-state';

const london = parseMarketHours('Mon-Fri 09:00-17:00 Europe/London') as MarketHours;

describe('market schedule', () => {
  it('maps every provider to its exchange the way market hours did', () => {
    const exchanges = Object.fromEntries(PROVIDER_NAMES.map((p) => [p, exchangeOfProvider(p)]));

    expect(exchanges).toEqual({
      'latest-stock-price': 'NSE',
      'alpha-vantage': 'NYSE',
      'yahoo-finance': 'NYSE',
      coingecko: null,
      demo: null,
    });
  });

  it('resolves MARKET_HOURS: auto = the exchange calendar, always, or the custom window', () => {
    expect(resolveMarketSchedule('auto', 'NSE')).toBe('NSE');
    expect(resolveMarketSchedule('auto', null)).toBe('always');
    expect(resolveMarketSchedule('always', 'NYSE')).toBe('always');
    expect(resolveMarketSchedule(london, 'NSE')).toBe(london);
  });

  it('is always open without market hours', () => {
    const state = marketStateAt('always', new Date('2026-12-05T06:00:00Z'));

    expect(state).toEqual({
      exchange: null,
      open: true,
      state: 'open',
      reason: 'always-open',
      session: null,
      nextOpen: null,
      calendarKnown: true,
      basis: 'always-open',
    });
    expect(marketStateAt(null, new Date())).toEqual(state);
    expect(describeMarketState(state)).toBe('open: no market hours apply');
  });

  it('keeps a custom window weekly: open exactly when isMarketOpen says so, holidays ignored', () => {
    const instants = ['2026-12-25T10:00:00Z', '2026-12-26T10:00:00Z', '2026-12-28T08:59:59Z', '2026-12-28T09:00:00Z', '2026-06-15T16:00:00Z'];

    for (const instant of instants) {
      expect([instant, marketStateAt(london, new Date(instant)).open]).toEqual([instant, isMarketOpen(london, new Date(instant))]);
    }
    expect(marketStateAt(london, new Date('2026-12-25T10:00:00Z'))).toMatchObject({
      exchange: null,
      reason: 'open',
      basis: 'custom-window',
      calendarKnown: true,
    });
    expect(marketStateAt(london, new Date('2026-06-15T16:00:00Z'))).toMatchObject({ open: false, nextOpen: '2026-06-16T08:00:00.000Z' }); // BST
  });

  it('decides by the exchange calendar under auto', () => {
    expect(marketStateAt(resolveMarketSchedule('auto', exchangeOfProvider('alpha-vantage')), new Date('2026-11-26T15:00:00Z'))).toMatchObject({
      exchange: 'NYSE',
      reason: 'holiday',
      holidayName: 'Thanksgiving Day',
    });
  });

  it('describes states in one line', () => {
    const at = (schedule: 'NSE' | 'NYSE', iso: string) => describeMarketState(marketStateAt(schedule, new Date(iso)));

    expect(at('NSE', '2026-11-24T06:00:00Z')).toBe(
      'closed: holiday (Guru Nanak Jayanti / Prakash Gurpurb Sri Guru Nanak Dev), next open 2026-11-25T03:45:00.000Z',
    );
    expect(at('NSE', '2026-12-05T06:00:00Z')).toBe('closed: weekend, next open 2026-12-07T03:45:00.000Z');
    expect(at('NYSE', '2026-11-27T17:30:00Z')).toBe('open until 2026-11-27T18:00:00.000Z (early close: Day after Thanksgiving)');
    expect(at('NYSE', '2026-11-27T18:30:00Z')).toBe(
      'closed: outside trading hours (early close: Day after Thanksgiving), next open 2026-11-30T14:30:00.000Z',
    );
    expect(at('NSE', '2027-01-02T06:00:00Z')).toBe(
      'closed: weekend, next open 2027-01-04T03:45:00.000Z; no NSE calendar for 2027: weekdays assumed (Mon-Fri 09:15-15:30 Asia/Kolkata)',
    );
  });

  it('lists the sessions of a local date for every kind of schedule', () => {
    expect(tradingSessionsOn('NYSE', '2026-11-27')).toEqual([{ open: '2026-11-27T14:30:00.000Z', close: '2026-11-27T18:00:00.000Z' }]);
    expect(tradingSessionsOn('NYSE', '2026-11-26')).toEqual([]);
    expect(tradingSessionsOn(london, '2026-12-25')).toEqual([{ open: '2026-12-25T09:00:00.000Z', close: '2026-12-25T17:00:00.000Z' }]);
    expect(tradingSessionsOn('always', '2026-12-05')).toEqual([{ open: '2026-12-05T00:00:00.000Z', close: '2026-12-06T00:00:00.000Z' }]);
    expect([scheduleZone('NSE'), scheduleZone(london), scheduleZone('always')]).toEqual(['Asia/Kolkata', 'Europe/London', 'UTC']);
  });

  it('names the schedule for /status', () => {
    expect(describeSchedule('NSE')).toBe('NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)');
    expect(describeSchedule(london)).toBe('Mon-Fri 09:00-17:00 Europe/London');
    expect(describeSchedule('always')).toBe('always');
  });
});
