import { DateTime } from 'luxon';
import type { MarketHours } from '../config/market-hours';
import type { ExchangeId } from './calendar-data';
import { exchangeCalendar } from './calendars';
import { ALWAYS_OPEN, stateFromDays, type MarketState, type TradingDaySource } from './market-state';
import { weeklyDay, type TradingSession } from './trading-day';

/**
 * What decides whether a provider's market is open: an exchange's calendar (`MARKET_HOURS=auto`),
 * one custom weekly window (`MARKET_HOURS="Mon-Fri 09:00-17:00 Europe/London"`, holidays not
 * modelled), or `'always'`.
 */
export type MarketSchedule = ExchangeId | MarketHours | 'always';

/**
 * The schedule a provider runs on under the `MARKET_HOURS` setting: `auto` = the calendar of the
 * provider's exchange (`null` exchange = always open), `always`, or the custom window as it is.
 *
 * @example resolveMarketSchedule(config.ingest.marketHours, exchangeOfProvider(provider.name))
 */
export function resolveMarketSchedule(setting: 'auto' | 'always' | MarketHours, exchange: ExchangeId | null): MarketSchedule {
  if (setting === 'auto') return exchange ?? 'always';
  return setting;
}

function windowSource(hours: MarketHours): TradingDaySource {
  return {
    exchange: null,
    zone: hours.zone,
    kind: 'window',
    day: (date) => weeklyDay(hours, date, true),
    fallbackNote: () => '',
  };
}

/**
 * Whether the market of `schedule` is open at `now`, why, and when it next opens — the call the
 * provider selection makes instead of `isMarketOpen(hours, now)`. `null` means always open.
 * A custom window is open exactly when `isMarketOpen(hours, now)` says so.
 */
export function marketStateAt(schedule: MarketSchedule | null, now: Date): MarketState {
  if (schedule === null || schedule === 'always') return { ...ALWAYS_OPEN };
  if (typeof schedule === 'string') return exchangeCalendar(schedule).stateAt(now);
  return stateFromDays(windowSource(schedule), now);
}

/** The zone whose local dates {@link tradingSessionsOn} takes (UTC when always open). */
export function scheduleZone(schedule: MarketSchedule | null): string {
  if (schedule === null || schedule === 'always') return 'UTC';
  return typeof schedule === 'string' ? exchangeCalendar(schedule).zone : schedule.zone;
}

/**
 * The trading sessions of a local date (YYYY-MM-DD in {@link scheduleZone}) as UTC instants:
 * the expected trading time of that day. Always open = the whole UTC day.
 */
export function tradingSessionsOn(schedule: MarketSchedule | null, date: string): TradingSession[] {
  if (schedule === null || schedule === 'always') {
    const start = DateTime.fromISO(date, { zone: 'UTC' });
    return [{ open: start.toJSDate().toISOString(), close: start.plus({ days: 1 }).toJSDate().toISOString() }];
  }
  if (typeof schedule === 'string') return exchangeCalendar(schedule).sessionsOn(date);
  return weeklyDay(schedule, date, true).sessions;
}

/** e.g. `NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)`, the window's text, or `always`. */
export function describeSchedule(schedule: MarketSchedule | null): string {
  if (schedule === null || schedule === 'always') return 'always';
  return typeof schedule === 'string' ? exchangeCalendar(schedule).describe() : schedule.text;
}
