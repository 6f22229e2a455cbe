import { CronTime } from 'cron';

// how far back to look for the previous instant: a seconds schedule finds it in the first span
const SPANS_MS = [2_000, 120_000, 7_200_000, 172_800_000, 5_356_800_000];

/**
 * The schedule slot an instant belongs to: the latest instant of the cron expression at or before
 * `at` (epoch milliseconds), or `null` when the expression has none in the last 62 days. Every
 * instance computes the same slot for the same tick, whatever its timer's delay, which is what lets
 * the lease run each tick once across instances.
 */
export function scheduleSlot(cron: string, at: Date): number | null {
  const time = new CronTime(cron);
  const next = (after: number) => time.getNextDateFrom(new Date(after)).toMillis();
  const now = at.getTime();
  for (const span of SPANS_MS) {
    let slot = next(now - span);
    if (slot > now) continue;
    for (let following = next(slot); following <= now; following = next(slot)) slot = following;
    return slot;
  }
  return null;
}

/** Milliseconds between the next two firings of a cron expression after `from` (an irregular schedule: its next gap). */
export function schedulePeriodMs(cron: string, from: Date = new Date()): number {
  const time = new CronTime(cron);
  const first = time.getNextDateFrom(from);
  return time.getNextDateFrom(first.toJSDate()).toMillis() - first.toMillis();
}
