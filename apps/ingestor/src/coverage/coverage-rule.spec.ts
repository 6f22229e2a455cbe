import type { RunRecord } from '@app/common';
import { assessCoverage, indexRuns, type CoverageInput } from './coverage-rule';
import type { Bucket } from './expected-minutes';

const T0 = Date.parse('2026-11-23T03:45:00.000Z');
const minute = (i: number) => new Date(T0 + i * 60_000).toISOString();
/** Ten expected minutes from 03:45 UTC (09:15 in Mumbai). */
const TEN: Bucket[] = Array.from({ length: 10 }, (_, i) => ({ start: T0 + i * 60_000, end: T0 + (i + 1) * 60_000 }));
const DAY_START = Date.parse('2026-11-22T18:30:00.000Z');
const TCS = 'TCS#EQ';

const run = (slotMinute: number, fields: Partial<RunRecord> = {}): RunRecord => ({
  slot: minute(slotMinute),
  runId: `run-${slotMinute}`,
  trigger: 'cron',
  startedAt: minute(slotMinute),
  answered: ['latest-stock-price'],
  failed: [],
  unchanged: [],
  lagging: {},
  ...fields,
});

/** Stored quotes a few seconds into each listed minute. */
const storedIn = (...minutes: number[]) => minutes.map((i) => new Date(T0 + i * 60_000 + 7_000).toISOString());
const assess = (input: Partial<CoverageInput> & { records?: RunRecord[] }) =>
  assessCoverage({ buckets: TEN, storedTimes: [], instrument: TCS, dayStart: DAY_START, ...input, runs: indexRuns(input.records ?? []) });

describe('the coverage rule', () => {
  it('names each missing minute as a gap of its own', () => {
    const counts = assess({ storedTimes: storedIn(0, 1, 2, 4, 5, 6, 7, 9) });

    expect(counts).toEqual({
      expected: 10,
      stored: 8,
      unchanged: 0,
      covered: 8,
      ratio: 0.8,
      gaps: [
        { from: minute(3), to: minute(4), minutes: 1 },
        { from: minute(8), to: minute(9), minutes: 1 },
      ],
    });
  });

  it('merges consecutive missing minutes into one range', () => {
    expect(assess({ storedTimes: storedIn(0, 1, 5, 6, 7, 8, 9) }).gaps).toEqual([{ from: minute(2), to: minute(5), minutes: 3 }]);
  });

  it('counts a minute whose run saw the instrument unchanged (a halted stock) as covered, not as a gap', () => {
    const counts = assess({ storedTimes: storedIn(0, 1, 2, 4, 5, 6, 7, 8, 9), records: [run(3, { unchanged: ['INFY#EQ', TCS] })] });

    expect(counts).toMatchObject({ stored: 9, unchanged: 1, covered: 10, ratio: 1, gaps: [] });
  });

  it('does not count another instrument\'s unchanged quote, nor a run that did not see the instrument', () => {
    const counts = assess({ storedTimes: storedIn(0, 1, 2, 4, 5, 6, 7, 8, 9), records: [run(3, { unchanged: ['INFY#EQ'] })] });

    expect(counts).toMatchObject({ unchanged: 0, covered: 9, gaps: [{ from: minute(3), to: minute(4), minutes: 1 }] });
  });

  it('credits a lagging quote to the minute of the run that published it, once it is stored', () => {
    // the run of minute 3 got a quote stamped in minute 2, which the run of minute 2 had missed
    const lagged = new Date(T0 + 2 * 60_000 + 50_000).toISOString();
    const stored = [...storedIn(0, 1, 4, 5, 6, 7, 8, 9), lagged];

    expect(assess({ storedTimes: stored, records: [run(3, { lagging: { [TCS]: lagged } })] })).toMatchObject({ stored: 10, gaps: [] });
  });

  it('keeps a gap when the quote a run published never got stored', () => {
    const lost = new Date(T0 + 2 * 60_000 + 50_000).toISOString();

    expect(assess({ storedTimes: storedIn(0, 1, 2, 4, 5, 6, 7, 8, 9), records: [run(3, { lagging: { [TCS]: lost } })] }).gaps).toEqual([
      { from: minute(3), to: minute(4), minutes: 1 },
    ]);
  });

  it('counts a quote from before the day as unchanged: nothing has traded yet', () => {
    const yesterday = '2026-11-20T09:59:58.000Z';

    expect(assess({ storedTimes: storedIn(1, 2, 3, 4, 5, 6, 7, 8, 9), records: [run(0, { lagging: { [TCS]: yesterday } })] })).toMatchObject({
      stored: 9,
      unchanged: 1,
      gaps: [],
    });
  });

  it('judges stored quotes by their own minute, outside the sessions not at all', () => {
    const counts = assess({ storedTimes: ['2026-11-23T03:44:59.000Z', minute(10), ...storedIn(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)] });

    expect(counts).toMatchObject({ expected: 10, stored: 10, ratio: 1 });
  });

  it('has no ratio when nothing was expected', () => {
    expect(assess({ buckets: [] })).toEqual({ expected: 0, stored: 0, unchanged: 0, covered: 0, ratio: null, gaps: [] });
  });
});
