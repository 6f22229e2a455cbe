import { exchangeCalendar, loadExchangeCalendar } from './calendars';
import nse from './data/nse.json';

const nseAt = (iso: string) => exchangeCalendar('NSE').stateAt(new Date(iso));
const nyseAt = (iso: string) => exchangeCalendar('NYSE').stateAt(new Date(iso));

describe('ExchangeCalendar', () => {
  it('closes NSE on a holiday of its data file, with the name and the next open', () => {
    const state = nseAt('2026-11-24T06:00:00Z'); // Tuesday 11:30 in Mumbai

    expect(state).toMatchObject({
      exchange: 'NSE',
      open: false,
      state: 'closed',
      reason: 'holiday',
      holidayName: 'Guru Nanak Jayanti / Prakash Gurpurb Sri Guru Nanak Dev',
      session: null,
      nextOpen: '2026-11-25T03:45:00.000Z', // Wednesday 09:15 IST
      calendarKnown: true,
      basis: 'exchange-calendar',
    });
    expect(state.note).toBeUndefined();
  });

  it('is open in a regular session and says until when', () => {
    expect(nseAt('2026-12-02T05:00:00Z')).toMatchObject({
      open: true,
      reason: 'open',
      session: { open: '2026-12-02T03:45:00.000Z', close: '2026-12-02T10:00:00.000Z' },
      nextOpen: '2026-12-03T03:45:00.000Z',
    });
  });

  it('closes on a weekend until Monday', () => {
    expect(nseAt('2026-12-05T06:00:00Z')).toMatchObject({
      open: false,
      reason: 'weekend',
      nextOpen: '2026-12-07T03:45:00.000Z',
      calendarKnown: true,
    });
  });

  it('names a holiday that falls on a weekend', () => {
    expect(nseAt('2026-08-15T06:00:00Z')).toMatchObject({ reason: 'holiday', holidayName: 'Independence Day' });
  });

  it('closes before and after the session of a trading day', () => {
    expect(nseAt('2026-12-02T03:44:59Z')).toMatchObject({ reason: 'outside-hours', nextOpen: '2026-12-02T03:45:00.000Z' });
    expect(nseAt('2026-12-02T10:00:00Z')).toMatchObject({ reason: 'outside-hours', nextOpen: '2026-12-03T03:45:00.000Z' });
  });

  it('keeps NYSE open at 12:30 ET on an early close and closed at 13:30 ET', () => {
    const noon = nyseAt('2026-11-27T17:30:00Z'); // Friday after Thanksgiving, EST
    const afterClose = nyseAt('2026-11-27T18:30:00Z');

    expect(noon).toMatchObject({
      open: true,
      reason: 'special-session',
      sessionName: 'early close: Day after Thanksgiving',
      session: { open: '2026-11-27T14:30:00.000Z', close: '2026-11-27T18:00:00.000Z' },
    });
    expect(afterClose).toMatchObject({
      open: false,
      reason: 'outside-hours',
      sessionName: 'early close: Day after Thanksgiving',
      nextOpen: '2026-11-30T14:30:00.000Z',
    });
  });

  it('has the 2026 Christmas Eve early close of NYSE', () => {
    expect(exchangeCalendar('NYSE').sessionsOn('2026-12-24')).toEqual([
      { open: '2026-12-24T14:30:00.000Z', close: '2026-12-24T18:00:00.000Z' },
    ]);
    expect(exchangeCalendar('NYSE').sessionsOn('2026-12-25')).toEqual([]);
  });

  it('opens for a Muhurat session on a Sunday holiday, when the data lists one', () => {
    const withMuhurat = structuredClone(nse) as Record<string, any>;
    withMuhurat.specialSessions = [{ date: '2026-11-08', open: '13:45', close: '14:45', name: 'Diwali Muhurat trading' }];
    const calendar = loadExchangeCalendar('NSE', withMuhurat, 'nse-with-muhurat.json');

    expect(calendar.stateAt(new Date('2026-11-08T06:00:00Z'))).toMatchObject({
      open: false,
      reason: 'holiday',
      holidayName: 'Diwali Laxmi Pujan',
      nextOpen: '2026-11-08T08:15:00.000Z', // 13:45 IST
    });
    expect(calendar.stateAt(new Date('2026-11-08T08:30:00Z'))).toMatchObject({
      open: true,
      reason: 'special-session',
      sessionName: 'Diwali Muhurat trading',
      session: { open: '2026-11-08T08:15:00.000Z', close: '2026-11-08T09:15:00.000Z' },
    });
    expect(calendar.stateAt(new Date('2026-11-08T09:15:00Z'))).toMatchObject({
      open: false,
      nextOpen: '2026-11-09T03:45:00.000Z',
    });
  });

  it('falls back to weekdays outside the known years and says so', () => {
    const state = nseAt('2027-01-26T05:00:00Z'); // Republic Day 2027: not in the data yet

    expect(state).toMatchObject({
      open: true,
      reason: 'open',
      calendarKnown: false,
      basis: 'weekday-fallback',
      note: 'no NSE calendar for 2027: weekdays assumed (Mon-Fri 09:15-15:30 Asia/Kolkata)',
    });
    expect(nyseAt('2029-01-06T15:00:00Z')).toMatchObject({ reason: 'weekend', nextOpen: '2029-01-08T14:30:00.000Z', calendarKnown: false });
  });

  it('flags the fallback when only the next opening lies outside the known years', () => {
    expect(nseAt('2026-12-31T12:00:00Z')).toMatchObject({
      reason: 'outside-hours',
      nextOpen: '2027-01-01T03:45:00.000Z',
      calendarKnown: false,
      note: expect.stringContaining('no NSE calendar for 2027'),
    });
  });

  it('follows New York into daylight saving time', () => {
    // DST starts Sunday 2026-03-08: Friday closes at 21:00Z (EST), Monday opens at 13:30Z (EDT)
    expect(nyseAt('2026-03-06T20:59:59Z')).toMatchObject({ open: true, session: { close: '2026-03-06T21:00:00.000Z' } });
    expect(nyseAt('2026-03-06T21:00:00Z')).toMatchObject({ open: false, nextOpen: '2026-03-09T13:30:00.000Z' });
    expect(nyseAt('2026-03-09T13:30:00Z')).toMatchObject({ open: true, session: { close: '2026-03-09T20:00:00.000Z' } });
  });

  it('follows New York out of daylight saving time', () => {
    // DST ends Sunday 2026-11-01: Friday closes at 20:00Z (EDT), Monday opens at 14:30Z (EST)
    expect(nyseAt('2026-10-30T20:00:00Z')).toMatchObject({ open: false, nextOpen: '2026-11-02T14:30:00.000Z' });
    expect(nyseAt('2026-11-02T14:29:59Z')).toMatchObject({ open: false, reason: 'outside-hours' });
  });

  it('finds the next open across a holiday weekend', () => {
    // NYSE: Good Friday 2026-04-03, so Thursday evening waits for Monday
    expect(nyseAt('2026-04-02T21:00:00Z')).toMatchObject({ reason: 'outside-hours', nextOpen: '2026-04-06T13:30:00.000Z' });
    expect(nyseAt('2026-04-03T15:00:00Z')).toMatchObject({ reason: 'holiday', holidayName: 'Good Friday' });
    // NSE: Christmas on Friday 2026-12-25
    expect(nseAt('2026-12-24T12:00:00Z')).toMatchObject({ nextOpen: '2026-12-28T03:45:00.000Z', calendarKnown: true });
    // NYSE: Christmas Day observed Friday 2027-12-24
    expect(nyseAt('2027-12-23T22:00:00Z')).toMatchObject({ nextOpen: '2027-12-27T14:30:00.000Z' });
  });

  it('lists no session on weekends and holidays and one on trading days', () => {
    const calendar = exchangeCalendar('NSE');

    expect(calendar.sessionsOn('2026-12-05')).toEqual([]);
    expect(calendar.sessionsOn('2026-11-10')).toEqual([]);
    expect(calendar.sessionsOn('2026-11-11')).toEqual([{ open: '2026-11-11T03:45:00.000Z', close: '2026-11-11T10:00:00.000Z' }]);
  });
});
