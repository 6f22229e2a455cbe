import { DateTime } from 'luxon';
import type { MarketHours } from '../config/market-hours';

/** One trading session as UTC instants (`toISOString()` form); `open` is inclusive, `close` exclusive. */
export interface TradingSession {
  open: string;
  close: string;
}

/** What one local date holds at an exchange (or under a weekly window). */
export interface TradingDay {
  /** The local date, YYYY-MM-DD, in the exchange's zone. */
  date: string;
  /** The day's sessions in order; empty when the market does not open that day. */
  sessions: TradingSession[];
  /** The date is not one of the regular trading weekdays. */
  weekend: boolean;
  /** The exchange's name for the holiday on this date, when it lists one (even on a weekend). */
  holidayName?: string;
  /** Name of the special session(s) replacing the regular one (an early close, Muhurat trading). */
  specialSessionName?: string;
  /** `false` when the date is outside the calendar's years and the regular weekdays were assumed. */
  calendarKnown: boolean;
}

/** The instant a local wall-clock time (minutes after midnight, 1440 = end of day) has on `date` in `zone`. */
export function localInstant(date: string, minutes: number, zone: string): string {
  const midnight = DateTime.fromISO(date, { zone });
  const at =
    minutes >= 24 * 60
      ? midnight.plus({ days: 1 })
      : midnight.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
  return at.toJSDate().toISOString();
}

/** Minutes after midnight of an `HH:MM` text. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** A session from local `open`/`close` minutes on `date`. */
export function localSession(date: string, open: number, close: number, zone: string): TradingSession {
  return { open: localInstant(date, open, zone), close: localInstant(date, close, zone) };
}

/** ISO weekday (1 = Monday) of a local date. */
export function weekdayOf(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

/** The day a weekly window gives `date`: its one session on its days, nothing otherwise. */
export function weeklyDay(hours: MarketHours, date: string, calendarKnown: boolean): TradingDay {
  const weekend = !hours.days.includes(weekdayOf(date));
  const sessions = weekend ? [] : [localSession(date, hours.open, hours.close, hours.zone)];
  return { date, sessions, weekend, calendarKnown };
}

/** Trading minutes of a day: the length of its sessions. */
export function tradingMinutes(day: TradingDay): number {
  return day.sessions.reduce((sum, s) => sum + (Date.parse(s.close) - Date.parse(s.open)) / 60_000, 0);
}

/** The local dates of a calendar year, YYYY-MM-DD, in order. */
export function datesOfYear(year: number): string[] {
  const dates: string[] = [];
  for (let d = DateTime.utc(year, 1, 1); d.year === year; d = d.plus({ days: 1 })) dates.push(d.toISODate()!);
  return dates;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Writes ISO weekdays the way `MARKET_HOURS` takes them: `Mon-Fri`, or `Mon,Wed` when not a run. */
export function weekdaysText(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const run = sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  const names = sorted.map((d) => WEEKDAY_NAMES[d - 1]);
  return run && names.length > 1 ? `${names[0]}-${names[names.length - 1]}` : names.join(',');
}
