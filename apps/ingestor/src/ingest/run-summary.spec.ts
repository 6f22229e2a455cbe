import { describeOutcome, isGoodRun, outcomeOf, providerOutcome, runLogLine, summariseRun, type ProviderRun, type RunSummary, type SkippedProvider } from './run-summary';

const frame = { runId: 'run-1', trigger: 'cron' as const, startedAt: '2024-09-16T04:30:00.000Z', finishedAt: '2024-09-16T04:30:01.000Z' };
const providerRun = (overrides: Partial<ProviderRun> = {}): ProviderRun => ({
  provider: 'latest-stock-price',
  fetched: 5,
  fresh: 4,
  published: 4,
  unpublished: 0,
  unchanged: 0,
  rejectedByReason: { invalid_price: 1 },
  rejections: ['HALTED: invalid_price'],
  ...overrides,
});
const closed: SkippedProvider = { provider: 'latest-stock-price', cause: 'market_closed', reason: 'market closed (Mon-Fri 09:15-15:30 Asia/Kolkata)' };
const paused: SkippedProvider = { provider: 'coingecko', cause: 'quota', reason: 'quota exhausted, paused until 2024-09-16T04:32:00.000Z' };
const upstreamError = { provider: 'latest-stock-price' as const, failure: 'unavailable' as const, message: 'latest-stock-price: upstream answered HTTP 500' };

describe('run outcome rules', () => {
  it.each([
    [{ upstreamFailed: true, fetched: 0, fresh: 0, published: 0, troubled: true }, 'failed'],
    [{ upstreamFailed: false, fetched: 3, fresh: 3, published: 0, troubled: true }, 'failed'],
    [{ upstreamFailed: true, fetched: 3, fresh: 3, published: 3, troubled: true }, 'partial'],
    [{ upstreamFailed: false, fetched: 3, fresh: 0, published: 0, troubled: false }, 'ok'],
    [{ upstreamFailed: false, fetched: 3, fresh: 3, published: 3, troubled: false }, 'ok'],
  ] as const)('judges %o as %s', (totals, outcome) => {
    expect(outcomeOf(totals)).toBe(outcome);
  });

  it('names the quotes SQS did not take in the provider\'s outcome', () => {
    expect(providerOutcome(providerRun({ published: 3, unpublished: 1 }))).toEqual({
      outcome: 'partial',
      fetched: 5,
      published: 3,
      rejected: 1,
      rejections: ['HALTED: invalid_price'],
      unchanged: 0,
      error: '1 quote(s) could not be published to SQS',
    });
  });

  it('sums the providers into the run, with one error for the quotes SQS did not take', () => {
    const summary = summariseRun(frame, [providerRun({ unpublished: 2, published: 2 }), providerRun({ provider: 'demo', rejectedByReason: { invalid_price: 2 }, unchanged: 1 })], []);

    expect(summary).toMatchObject({ ...frame, outcome: 'partial', fetched: 10, published: 6, unpublished: 2, unchanged: 1, rejected: 3, rejectedByReason: { invalid_price: 3 } });
    expect(summary.errors).toEqual([{ provider: 'queue', failure: 'queue', message: '2 quote(s) could not be published to SQS' }]);
  });

  it('calls a run skipped when no provider was called, and partial when one was left out', () => {
    expect(summariseRun(frame, [], [closed])).toMatchObject({ outcome: 'skipped', providers: { 'latest-stock-price': { outcome: 'skipped', reason: closed.reason } } });
    expect(summariseRun(frame, [providerRun({ provider: 'demo' })], [closed]).outcome).toBe('partial');
  });

  it('calls a run failed when every called provider failed and nothing was fetched', () => {
    const failed = providerRun({ fetched: 0, fresh: 0, published: 0, rejectedByReason: {}, rejections: [], upstreamError });

    expect(summariseRun(frame, [failed], []).outcome).toBe('failed');
    expect(summariseRun(frame, [failed, providerRun({ provider: 'demo' })], []).outcome).toBe('partial');
  });

  describe('isGoodRun', () => {
    const run = (outcome: RunSummary['outcome'], skipped: SkippedProvider[] = []) => ({ ...summariseRun(frame, [], skipped), outcome });

    it.each([
      ['ok', [], true],
      ['partial', [], true],
      ['failed', [], false],
      ['skipped with every market closed', [closed], true],
      ['skipped for a quota pause', [paused], false],
      ['skipped with one market closed and one paused', [closed, paused], false],
    ] as const)('%s: %s', (what, skipped, good) => {
      const outcome = what.startsWith('skipped') ? 'skipped' : (what as RunSummary['outcome']);
      expect(isGoodRun(run(outcome, [...skipped]))).toBe(good);
    });
  });

  it('describes a provider\'s part in words', () => {
    const counts = 'fetched 5, published 4, rejected 1, unchanged 0';

    expect(describeOutcome(providerOutcome(providerRun()))).toBe(`ok: ${counts}`);
    expect(describeOutcome({ ...providerOutcome(providerRun()), outcome: 'partial', error: 'x' })).toBe(`partial: x (${counts})`);
    expect(describeOutcome({ outcome: 'skipped', fetched: 0, published: 0, rejected: 0, rejections: [], unchanged: 0 })).toBe('skipped: not called');
  });

  it('writes one log line per run, louder when something went wrong', () => {
    const ok = summariseRun(frame, [providerRun({ unchanged: 1 })], []);

    expect(runLogLine(ok)).toEqual({ level: 'log', text: 'run run-1 (cron) ok: fetched=5 published=4 unchanged=1 rejected=1 [invalid_price=1]' });
    expect(runLogLine(summariseRun(frame, [], [closed]))).toEqual({
      level: 'debug',
      text: `run run-1 (cron) skipped: fetched=0 published=0 unchanged=0 rejected=0; latest-stock-price skipped: ${closed.reason}`,
    });
    expect(runLogLine(summariseRun(frame, [providerRun({ published: 0 })], [])).level).toBe('warn');
  });
});
