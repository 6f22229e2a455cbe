import { CalendarDataError, parseCalendarData } from './calendar-data';
import { exchangeCalendar, exchangeCalendars, loadExchangeCalendar } from './calendars';
import nse from './data/nse.json';
import nyse from './data/nyse.json';
import { tradingMinutes } from './trading-day';

const FILE = 'libs/common/src/calendar/data/nse.json';
const nseFile = (): Record<string, any> => structuredClone(nse);

function problemsOf(raw: unknown): string[] {
  try {
    parseCalendarData(raw, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarDataError);
    expect((error as Error).message).toContain(FILE);
    return (error as CalendarDataError).problems;
  }
  throw new Error('expected the file to be refused');
}

describe('exchange calendar data files', () => {
  it('the repository files are valid, each under its own exchange', () => {
    const calendars = exchangeCalendars();

    expect([...calendars.keys()]).toEqual(['NSE', 'NYSE']);
    expect(calendars.get('NSE')!.data).toMatchObject({ zone: 'Asia/Kolkata', years: { from: 2026, to: 2026 } });
    expect(calendars.get('NYSE')!.data).toMatchObject({ zone: 'America/New_York', years: { from: 2026, to: 2028 } });
    for (const file of [nse, nyse]) {
      expect(file.source.url).toMatch(/^https:\/\//);
      expect(file.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('name their regular hours and version', () => {
    expect(exchangeCalendar('NSE').describe()).toBe('NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)');
    expect(exchangeCalendar('NYSE').describe()).toBe('NYSE calendar v1 (2026-2028; Mon-Fri 09:30-16:00 America/New_York)');
  });

  it('hold the trading days the README counts for 2026', () => {
    const nseDays = exchangeCalendar('NSE').tradingDays(2026);
    const nyseDays = exchangeCalendar('NYSE').tradingDays(2026);

    expect([nseDays.length, nseDays.reduce((sum, d) => sum + tradingMinutes(d), 0)]).toEqual([245, 91_875]);
    expect([nyseDays.length, nyseDays.reduce((sum, d) => sum + tradingMinutes(d), 0)]).toEqual([251, 97_530]);
  });

  it('refuses a bad date, naming the field', () => {
    const raw = nseFile();
    raw.holidays[3].date = '2026-13-03';

    expect(problemsOf(raw)).toEqual(['holidays.3.date: must be a date written YYYY-MM-DD']);
  });

  it('refuses a missing field, an unknown field and a bad zone', () => {
    const raw = nseFile();
    delete raw.version;
    raw.holiday = [];
    raw.zone = 'Asia/Mumbai';

    expect(problemsOf(raw)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: /),
        expect.stringMatching(/^\(file\): .*holiday/),
        'zone: must be an IANA time zone',
      ]),
    );
  });

  it('refuses dates outside the covered years, twice-listed dates and inverted sessions', () => {
    const raw = nseFile();
    raw.holidays.push({ date: '2027-01-26', name: 'Republic Day' }, { ...raw.holidays[0] });
    raw.specialSessions.push({ date: '2026-11-08', open: '14:45', close: '13:45', name: 'Diwali Muhurat trading' });

    expect(problemsOf(raw)).toEqual([
      'holidays.20.date: 2027-01-26 is outside years 2026-2026',
      'holidays.21.date: 2026-01-15 is listed twice',
      'specialSessions.0: open must be before close',
    ]);
  });

  it('refuses a file under the wrong exchange', () => {
    expect(() => loadExchangeCalendar('NYSE', nse, FILE)).toThrow(/nse\.json:\n {2}- exchange: is "NSE", expected "NYSE"/);
  });
});
