import { isMarketOpen, parseMarketHours, type MarketHours } from './market-hours';

describe('market hours', () => {
  const nse = parseMarketHours('Mon-Fri 09:15-15:30 Asia/Kolkata') as MarketHours;

  it('parses a weekday range, local times and a zone', () => {
    expect(nse).toEqual({ days: [1, 2, 3, 4, 5], open: 555, close: 930, zone: 'Asia/Kolkata', text: 'Mon-Fri 09:15-15:30 Asia/Kolkata' });
    expect(parseMarketHours('Mon,Wed-Thu 10:00-11:00 UTC')).toMatchObject({ days: [1, 3, 4] });
  });

  it.each([
    ['weekdays 9-5', /must look like/],
    ['Mon-Fri 15:30-09:15 Asia/Kolkata', /opening time must be before closing time/],
    ['Fri-Mon 09:15-15:30 Asia/Kolkata', /not a day range/],
    ['Mon-Fri 09:15-15:30 Mars/Olympus', /not an IANA time zone/],
  ])('refuses %p', (text, message) => {
    expect(parseMarketHours(text)).toMatch(message);
  });

  it.each([
    ['2024-09-16T03:44:59Z', false], // Monday 09:14:59 in Mumbai
    ['2024-09-16T03:45:00Z', true], // 09:15:00
    ['2024-09-16T09:59:59Z', true], // 15:29:59
    ['2024-09-16T10:00:00Z', false], // 15:30:00, closed
    ['2024-09-14T06:00:00Z', false], // Saturday
  ])('NSE at %s is open: %p', (instant, open) => {
    expect(isMarketOpen(nse, new Date(instant))).toBe(open);
  });

  it('follows daylight saving time in New York', () => {
    const nyse = parseMarketHours('Mon-Fri 09:30-16:00 America/New_York') as MarketHours;

    expect(isMarketOpen(nyse, new Date('2024-07-15T13:30:00Z'))).toBe(true); // EDT, 09:30
    expect(isMarketOpen(nyse, new Date('2024-01-15T13:30:00Z'))).toBe(false); // EST, 08:30
  });
});
