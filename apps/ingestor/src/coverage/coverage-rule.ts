import type { RunRecord } from '@app/common';
import type { Bucket } from './expected-minutes';

/** A run of missing minutes: `from` inclusive, `to` exclusive (ISO-8601 UTC), `minutes` = `to − from`. */
export interface Gap {
  from: string;
  to: string;
  minutes: number;
}

/** How one instrument's expected minutes were served. */
export interface CoverageCounts {
  expected: number;
  /** Minutes with a stored quote. */
  stored: number;
  /** Minutes without a new quote, but a run of the minute saw the instrument unchanged (e.g. halted). */
  unchanged: number;
  covered: number;
  /** `covered / expected`, 4 decimals; `null` when nothing was expected. */
  ratio: number | null;
  gaps: Gap[];
}

/** A run record made ready for many look-ups (one per instrument). */
export interface IndexedRun {
  slot: number;
  unchanged: ReadonlySet<string>;
  /** Providers that answered the run. */
  answered: ReadonlySet<string>;
  lagging: Readonly<Record<string, string>>;
}

export function indexRuns(records: RunRecord[]): IndexedRun[] {
  return records.map((r) => ({ slot: Date.parse(r.slot), unchanged: new Set(r.unchanged), answered: new Set(r.answered), lagging: r.lagging }));
}

/** What the rule reads for one instrument. */
export interface CoverageInput {
  /** The expected minutes judged so far, oldest first. */
  buckets: Bucket[];
  /** Quote times of the instrument's stored history from `dayStart` on (ISO strings, as stored). */
  storedTimes: string[];
  /** The instrument's key in run records (`RunLogTable.instrumentKey`). */
  instrument: string;
  /** The runs whose slots lie in the day. */
  runs: IndexedRun[];
  /** Local midnight of the day (epoch ms): stored times before it are not read. */
  dayStart: number;
  /**
   * For backfill only: a minute whose run got an answer from this provider is no gap, though
   * nothing is stored yet: its quote may still wait in the queue, and a bar beside it would
   * double the minute. (The report leaves it out: there it is a gap until the quote is stored.)
   */
  answeredBy?: string;
}

/**
 * The completeness rule. The clock of "the minute" is the schedule slot of the run: a minute is
 * **stored** when a stored quote's own time falls in it, or when a run of that minute published a
 * quote that is stored though the upstream stamped it earlier (a lagging `lastUpdateTime`); it is
 * **unchanged** when a run of that minute found the instrument with the quote time it had already
 * published (a halted or untraded stock), or published a quote from before the day (nothing traded
 * yet); otherwise it is a **gap**. Consecutive gap minutes merge into one range.
 */
export function assessCoverage(input: CoverageInput): CoverageCounts {
  const { buckets, instrument, dayStart } = input;
  const stored = new Set(input.storedTimes);
  const storedMs = input.storedTimes.map(Date.parse).sort((a, b) => a - b);
  const state = new Array<'stored' | 'unchanged' | 'answered' | undefined>(buckets.length);
  storedMs.forEach((t) => {
    const i = bucketOf(buckets, t);
    if (i >= 0) state[i] = 'stored';
  });
  for (const run of input.runs) {
    const i = bucketOf(buckets, run.slot);
    if (i < 0 || state[i] === 'stored') continue;
    const lagging = Object.hasOwn(run.lagging, instrument) ? run.lagging[instrument] : undefined;
    if (lagging !== undefined && stored.has(lagging)) state[i] = 'stored';
    else if (run.unchanged.has(instrument) || (lagging !== undefined && Date.parse(lagging) < dayStart)) state[i] = 'unchanged';
    else if (input.answeredBy !== undefined && run.answered.has(input.answeredBy)) state[i] = 'answered';
  }
  const gaps: Gap[] = [];
  buckets.forEach((b, i) => {
    if (state[i]) return;
    const last = gaps[gaps.length - 1];
    if (last && Date.parse(last.to) === b.start) last.to = new Date(b.end).toISOString();
    else gaps.push({ from: new Date(b.start).toISOString(), to: new Date(b.end).toISOString(), minutes: 0 });
  });
  gaps.forEach((g) => (g.minutes = (Date.parse(g.to) - Date.parse(g.from)) / 60_000));
  const storedCount = state.filter((s) => s === 'stored').length;
  const unchangedCount = state.filter((s) => s === 'unchanged').length;
  const covered = storedCount + unchangedCount;
  const ratio = buckets.length ? Math.round((covered / buckets.length) * 10_000) / 10_000 : null;
  return { expected: buckets.length, stored: storedCount, unchanged: unchangedCount, covered, ratio, gaps };
}

/** Index of the bucket holding instant `t`, or -1 (binary search: buckets are sorted and disjoint). */
function bucketOf(buckets: Bucket[], t: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < buckets[mid].start) hi = mid - 1;
    else if (t >= buckets[mid].end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
