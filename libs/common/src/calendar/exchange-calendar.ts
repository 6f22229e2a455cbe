import type { MarketHours } from '../config/market-hours';
import type { ExchangeCalendarData, ExchangeId } from './calendar-data';
import { stateFromDays, type MarketState, type TradingDaySource } from './market-state';
import {
  datesOfYear,
  localSession,
  minutesOf,
  weekdayOf,
  weekdaysText,
  weeklyDay,
  type TradingDay,
  type TradingSession,
} from './trading-day';

/**
 * One exchange's trading calendar: its regular weekly hours plus the holidays and special sessions
 * of the years its data file covers. Dates outside those years fall back to the regular weekdays,
 * and every answer says so (`calendarKnown: false`). Pure: no clock, no I/O.
 */
export class ExchangeCalendar implements TradingDaySource {
  readonly kind = 'calendar' as const;
  readonly exchange: ExchangeId;
  readonly zone: string;
  /** The regular weekly session as a `MARKET_HOURS` window, e.g. `Mon-Fri 09:15-15:30 Asia/Kolkata`. */
  readonly regularHours: MarketHours;
  private readonly holidays: Map<string, string>;
  private readonly specials = new Map<string, ExchangeCalendarData['specialSessions']>();

  constructor(readonly data: ExchangeCalendarData) {
    this.exchange = data.exchange;
    this.zone = data.zone;
    const { weekdays, open, close } = data.regularHours;
    const days = [...new Set(weekdays)].sort((a, b) => a - b);
    const text = `${weekdaysText(days)} ${open}-${close} ${data.zone}`;
    this.regularHours = { days, open: minutesOf(open), close: minutesOf(close), zone: data.zone, text };
    this.holidays = new Map(data.holidays.map((h) => [h.date, h.name]));
    for (const s of [...data.specialSessions].sort((a, b) => a.open.localeCompare(b.open))) {
      this.specials.set(s.date, [...(this.specials.get(s.date) ?? []), s]);
    }
  }

  /** The data file's version (raised on every edit). */
  get version(): number {
    return this.data.version;
  }

  /** Whether the data file lists the holidays of `year`. */
  covers(year: number): boolean {
    return year >= this.data.years.from && year <= this.data.years.to;
  }

  /** What the local `date` (YYYY-MM-DD in {@link zone}) holds: its sessions, holiday, special session. */
  day(date: string): TradingDay {
    if (!this.covers(Number(date.slice(0, 4)))) return weeklyDay(this.regularHours, date, false);
    const weekend = !this.regularHours.days.includes(weekdayOf(date));
    const holidayName = this.holidays.get(date);
    const specials = this.specials.get(date);
    const named = holidayName ? { holidayName } : {};
    if (specials) {
      const sessions = specials.map((s) => localSession(date, minutesOf(s.open), minutesOf(s.close), this.zone));
      return { date, sessions, weekend, ...named, specialSessionName: specials.map((s) => s.name).join(', '), calendarKnown: true };
    }
    if (holidayName || weekend) return { date, sessions: [], weekend, ...named, calendarKnown: true };
    const { open, close } = this.regularHours;
    return { date, sessions: [localSession(date, open, close, this.zone)], weekend, calendarKnown: true };
  }

  /** The trading sessions of a local date (empty on weekends and holidays), as UTC instants. */
  sessionsOn(date: string): TradingSession[] {
    return this.day(date).sessions;
  }

  /** Whether the exchange is open at `instant`, why, and when it next opens. */
  stateAt(instant: Date): MarketState {
    return stateFromDays(this, instant);
  }

  /** The days of `year` with at least one session (special-session days included). */
  tradingDays(year: number): TradingDay[] {
    return datesOfYear(year)
      .map((date) => this.day(date))
      .filter((d) => d.sessions.length > 0);
  }

  /** e.g. `no NSE calendar for 2027: weekdays assumed (Mon-Fri 09:15-15:30 Asia/Kolkata)`. */
  fallbackNote(years: number[]): string {
    return `no ${this.exchange} calendar for ${years.join(', ')}: weekdays assumed (${this.regularHours.text})`;
  }

  /** e.g. `NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)`, for `/status`. */
  describe(): string {
    const { from, to } = this.data.years;
    const years = from === to ? `${from}` : `${from}-${to}`;
    return `${this.exchange} calendar v${this.version} (${years}; ${this.regularHours.text})`;
  }
}
