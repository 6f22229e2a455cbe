/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;

/** One (UTC, 24-hour) day in milliseconds; a trading day in an exchange's zone is the calendar's business. */
export const DAY_MS = 86_400_000;

/** The start of the UTC minute that holds `ms` (epoch milliseconds). */
export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
