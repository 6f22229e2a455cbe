import { DateTime } from 'luxon';
import type { ExchangeId } from './calendar-data';
import type { TradingDay, TradingSession } from './trading-day';

/**
 * Why the market is open or closed: `open` (a regular session), `special-session` (an early close
 * or Muhurat session in progress), `always-open` (no market hours apply), `weekend`, `holiday`,
 * `outside-hours` (a trading day, but before, between or after its sessions).
 */
export type MarketStateReason = 'open' | 'special-session' | 'always-open' | 'weekend' | 'holiday' | 'outside-hours';

/**
 * What the answer rests on: the exchange's data file, the weekday fallback (a date outside the
 * file's years), a custom `MARKET_HOURS` window (weekly by choice), or nothing (always open).
 */
export type MarketStateBasis = 'exchange-calendar' | 'weekday-fallback' | 'custom-window' | 'always-open';

/** Whether a market is open at an instant, why, and when it next opens. Plain JSON, for `/status`. */
export interface MarketState {
  /** The exchange whose calendar decided, `null` for a custom window or always open. */
  exchange: ExchangeId | null;
  open: boolean;
  state: 'open' | 'closed';
  reason: MarketStateReason;
  /** The holiday of the exchange's local date, when the data lists one. */
  holidayName?: string;
  /** The special session of the local date (open now, or the day's early close). */
  sessionName?: string;
  /** The session in progress; `null` when closed (and when always open). */
  session: TradingSession | null;
  /** The first session opening after the instant, ISO-8601 UTC; `null` when always open or none within a year. */
  nextOpen: string | null;
  /** `false` when a date the answer depends on is outside the calendar's years (weekdays assumed). */
  calendarKnown: boolean;
  basis: MarketStateBasis;
  /** Set with the fallback, e.g. `no NSE calendar for 2027: weekdays assumed (Mon-Fri 09:15-15:30 Asia/Kolkata)`. */
  note?: string;
}

/** A source of trading days: an exchange calendar, or a weekly window. */
export interface TradingDaySource {
  readonly exchange: ExchangeId | null;
  readonly zone: string;
  readonly kind: 'calendar' | 'window';
  day(date: string): TradingDay;
  /** The note for dates outside the known years. */
  fallbackNote(years: number[]): string;
}

/** How far ahead `nextOpen` is looked for (a year and a bit; every real calendar opens sooner). */
const LOOKAHEAD_DAYS = 400;

/** The market state of `source` at `instant`. Sessions never cross local midnight, so only the local date can hold it. */
export function stateFromDays(source: TradingDaySource, instant: Date): MarketState {
  const t = instant.getTime();
  const local = DateTime.fromJSDate(instant, { zone: source.zone });
  const unknownYears = new Set<number>();
  const consult = (date: string): TradingDay => {
    const day = source.day(date);
    if (!day.calendarKnown) unknownYears.add(Number(date.slice(0, 4)));
    return day;
  };
  const today = consult(local.toISODate()!);
  const session = today.sessions.find((s) => Date.parse(s.open) <= t && t < Date.parse(s.close)) ?? null;
  let nextOpen: string | null = null;
  for (let i = 0; i < LOOKAHEAD_DAYS && nextOpen === null; i++) {
    const day = i === 0 ? today : consult(local.plus({ days: i }).toISODate()!);
    nextOpen = day.sessions.find((s) => Date.parse(s.open) > t)?.open ?? null;
  }
  const years = [...unknownYears].sort((a, b) => a - b);
  const reason: MarketStateReason = session
    ? today.specialSessionName
      ? 'special-session'
      : 'open'
    : today.holidayName
      ? 'holiday'
      : today.weekend
        ? 'weekend'
        : 'outside-hours';
  return {
    exchange: source.exchange,
    open: session !== null,
    state: session ? 'open' : 'closed',
    reason,
    ...(today.holidayName ? { holidayName: today.holidayName } : {}),
    ...(today.specialSessionName ? { sessionName: today.specialSessionName } : {}),
    session,
    nextOpen,
    calendarKnown: years.length === 0,
    basis: source.kind === 'window' ? 'custom-window' : years.length ? 'weekday-fallback' : 'exchange-calendar',
    ...(years.length ? { note: source.fallbackNote(years) } : {}),
  };
}

/** The state for "no market hours apply" (`MARKET_HOURS=always`, crypto, the demo provider). */
export const ALWAYS_OPEN: Readonly<MarketState> = Object.freeze({
  exchange: null,
  open: true,
  state: 'open',
  reason: 'always-open',
  session: null,
  nextOpen: null,
  calendarKnown: true,
  basis: 'always-open',
});

/**
 * One line for people (`/status`, the dashboard, skip reasons), e.g.
 * `closed: holiday (Guru Nanak Jayanti), next open 2026-11-25T03:45:00.000Z` or
 * `open until 2026-11-27T18:00:00.000Z (Day after Thanksgiving (early close))`; the fallback note follows after `; `.
 */
export function describeMarketState(state: MarketState): string {
  const next = state.nextOpen ? `, next open ${state.nextOpen}` : '';
  const special = state.sessionName ? ` (${state.sessionName})` : '';
  let text: string;
  if (state.reason === 'always-open') text = 'open: no market hours apply';
  else if (state.open) text = `open until ${state.session!.close}${special}`;
  else if (state.reason === 'holiday') text = `closed: holiday (${state.holidayName})${next}`;
  else if (state.reason === 'weekend') text = `closed: weekend${next}`;
  else text = `closed: outside trading hours${special}${next}`;
  return state.note ? `${text}; ${state.note}` : text;
}
