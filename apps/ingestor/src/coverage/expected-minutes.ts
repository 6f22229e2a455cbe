import { scheduleZone, tradingSessionsOn, type MarketSchedule, type TradingSession, MINUTE_MS } from '@app/common';
import { CronTime } from 'cron';
import { DateTime } from 'luxon';

/** With `INGEST_CRON=off` (trigger only) coverage expects what the default schedule would call. */
export const DEFAULT_CRON = '* * * * *';
/** A minute is judged once it has been over for this long: its quote may still be on its way through the queue. */
export const SETTLE_MS = MINUTE_MS;
/** How far back the last trading day is looked for (the longest closures are a week or so). */
const LOOKBACK_DAYS = 30;

/** One expected minute: the schedule fires at `start`; quotes until `end` (the next firing or the close) belong to it. */
export interface Bucket {
  start: number;
  end: number;
}

/**
 * Whether the cron expression fires within the minute starting at `minute`, read in the process's
 * time zone as the scheduler reads it. Built from the expression's expanded fields, because
 * `CronTime.getNextDateFrom` costs milliseconds per call and a day has up to 1,440 minutes.
 */
export function minuteMatcher(cron: string): (minute: Date) => boolean {
  const [seconds, minutes, hours, days, months, weekdays] = new CronTime(cron).toJSON().map(fieldSet);
  if (seconds?.size === 0) return () => false;
  return (at) => {
    const dayOfMonth = matches(days, at.getDate());
    const weekday = matches(weekdays, at.getDay()) || (at.getDay() === 0 && matches(weekdays, 7));
    // cron's rule: with both day fields restricted either one will do
    const day = days === null ? weekdays === null || weekday : weekdays === null ? dayOfMonth : dayOfMonth || weekday;
    return day && matches(minutes, at.getMinutes()) && matches(hours, at.getHours()) && matches(months, at.getMonth() + 1);
  };
}

/** `*` = `null` (any value), else the set of listed values. */
function fieldSet(field: string): Set<number> | null {
  return field === '*' ? null : new Set(field.split(',').filter(Boolean).map(Number));
}

function matches(set: Set<number> | null, value: number): boolean {
  return set === null || set.has(value);
}

/** The expected minutes of a day: the minutes of its sessions in which the schedule fires, oldest first. */
export function expectedBuckets(cron: string | null, sessions: TradingSession[]): Bucket[] {
  const fires = minuteMatcher(cron ?? DEFAULT_CRON);
  const buckets: Bucket[] = [];
  for (const session of sessions) {
    const close = Date.parse(session.close);
    const starts: number[] = [];
    for (let m = Math.ceil(Date.parse(session.open) / MINUTE_MS) * MINUTE_MS; m < close; m += MINUTE_MS) {
      if (fires(new Date(m))) starts.push(m);
    }
    starts.forEach((start, i) => buckets.push({ start, end: Math.min(starts[i + 1] ?? close, close) }));
  }
  return buckets;
}

/** The exchange-local date of an instant under a schedule (YYYY-MM-DD). */
export function localDate(schedule: MarketSchedule, at: Date): string {
  return DateTime.fromJSDate(at, { zone: scheduleZone(schedule) }).toISODate()!;
}

/** The start of a local date, as epoch milliseconds. */
export function startOfLocalDate(schedule: MarketSchedule, date: string): number {
  return DateTime.fromISO(date, { zone: scheduleZone(schedule) }).toMillis();
}

/**
 * The latest local date, today included, on which the market of `schedule` has been open for a
 * judged minute by `now`; `null` when none within a month (e.g. a custom window on no weekday).
 */
export function lastTradingDay(schedule: MarketSchedule, now: Date): string | null {
  const today = DateTime.fromJSDate(now, { zone: scheduleZone(schedule) }).startOf('day');
  for (let i = 0; i <= LOOKBACK_DAYS; i++) {
    const date = today.minus({ days: i }).toISODate()!;
    const first = tradingSessionsOn(schedule, date)[0];
    if (first && Date.parse(first.open) + MINUTE_MS + SETTLE_MS <= now.getTime()) return date;
  }
  return null;
}

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isLocalDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}
