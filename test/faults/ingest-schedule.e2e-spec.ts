import { CronTime } from 'cron';
import { AppProcess } from '../support/app-process';
import { FakeUpstream } from '../support/fake-upstream';
import { upstreamFixture } from '../support/fixtures';
import { eventually, testStack } from '../support/test-stack';
import { TEST_RAPIDAPI_KEY } from '../support/secrets';

const CRON = '*/2 * * * * *';

/** Schedule instants in (from, to]. */
function instantsBetween(from: number, to: number): number {
  const time = new CronTime(CRON);
  let count = 0;
  for (let t = time.getNextDateFrom(new Date(from)).toMillis(); t <= to; t = time.getNextDateFrom(new Date(t)).toMillis()) count++;
  return count;
}

/**
 * Two ingestor processes on one schedule against one upstream: the lease in DynamoDB lets one of
 * them run each tick (and the start-up run once), so the upstream sees one call per tick, not two.
 */
describe('two ingestors started at once on one schedule', () => {
  const upstream = new FakeUpstream();
  const calls: number[] = [];
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    const answer = { body: upstreamFixture('latest-stock-price/any.sample.json') };
    await upstream
      .respond(() => {
        calls.push(Date.now());
        return answer;
      })
      .start();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await upstream.stop();
  });

  it('calls the upstream once per tick, and both stop with exit code 0 on SIGTERM', async () => {
    const { env } = await testStack({
      MARKET_DATA_PROVIDER: 'latest-stock-price',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      INGEST_CRON: CRON,
      INGEST_ON_START: 'true',
      // scheduled runs skip a closed market: the NSE hours must not decide when this test can pass
      MARKET_HOURS: 'always',
    });
    apps.push(...(await Promise.all([AppProcess.start('ingestor', env), AppProcess.start('ingestor', env)])));
    const bothUp = Date.now();
    const callsSinceBothUp = () => calls.filter((at) => at > bothUp).length;

    await eventually(async () => (callsSinceBothUp() >= 4 ? true : undefined), 30_000, 'four upstream calls');
    const exits = await Promise.all(apps.map((app) => app.stop('SIGTERM')));
    const stoppedAt = Date.now();

    // while both run, every call is the one run of a tick (or the start-up run of the later one,
    // for a slot before): without the lease there would be two calls per tick
    const ticks = instantsBetween(bothUp, stoppedAt);
    const runs = apps.map((app) => app.lines.filter((l) => /run \S+ \((cron|startup)\) ok/.test(l)).length);
    const skipped = apps.map((app) => app.lines.filter((l) => /(cron|startup) run skipped/.test(l)).length);
    console.log(JSON.stringify({ ticks, callsWhileBothUp: callsSinceBothUp(), upstreamCalls: calls.length, runsPerInstance: runs, skippedPerInstance: skipped, exits }));
    expect(callsSinceBothUp()).toBeLessThanOrEqual(ticks + 1);
    expect(runs[0] + runs[1]).toBe(calls.length);
    expect(skipped[0] + skipped[1]).toBeGreaterThan(0);
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });
});
