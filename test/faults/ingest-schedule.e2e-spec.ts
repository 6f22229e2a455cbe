import { createDocumentClient } from '@app/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IngestLease } from '../../apps/ingestor/src/ingest/ingest-lease';
import { AppProcess } from '../support/app-process';
import { FakeUpstream } from '../support/fake-upstream';
import { upstreamFixture } from '../support/fixtures';
import { metricValue, scrapeMetrics } from '../support/prometheus';
import { eventually, testStack } from '../support/test-stack';
import { TEST_RAPIDAPI_KEY } from '../support/secrets';

const CRON = '*/2 * * * * *';

/** One upstream call: the schedule slot of the run that made it, and the instance it ran on. */
interface Call {
  slot: number | null;
  holder: string | null;
}

/**
 * Two ingestor processes on one schedule against one upstream: the lease in DynamoDB lets one of
 * them run each tick (and the start-up run once), so the upstream sees one call per tick, not two.
 */
describe('two ingestors started at once on one schedule', () => {
  const upstream = new FakeUpstream();
  const calls: Call[] = [];
  const apps: AppProcess[] = [];
  let env: Record<string, string>;
  let dynamo: DynamoDBDocumentClient | undefined;

  beforeAll(async () => {
    let lease: IngestLease | undefined;
    const answer = { body: upstreamFixture('latest-stock-price/any.sample.json') };
    // A run holds the lease while it calls the upstream, and its acquisition wrote the run's slot
    // into the lease item: read while the call waits, the item says which slot the call belongs to
    // and which instance made it, exactly, however late a timer fired or a call arrived.
    await upstream
      .respond(() => ({
        ...answer,
        hold: lease!.state().then(
          ({ lastSlot, holder }) => void calls.push({ slot: lastSlot, holder }),
          () => void calls.push({ slot: null, holder: null }),
        ),
      }))
      .start();
    const stack = await testStack({
      MARKET_DATA_PROVIDER: 'latest-stock-price',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      INGEST_CRON: CRON,
      INGEST_ON_START: 'true',
      // scheduled runs skip a closed market: the NSE hours must not decide when this test can pass
      MARKET_HOURS: 'always',
    });
    env = stack.env;
    dynamo = createDocumentClient(stack.config.aws);
    lease = new IngestLease(dynamo, stack.config);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await upstream.stop();
    dynamo?.destroy();
  });

  it('calls the upstream once per tick, and both stop with exit code 0 on SIGTERM', async () => {
    apps.push(...(await Promise.all([AppProcess.start('ingestor', env), AppProcess.start('ingestor', env)])));

    await eventually(async () => (calls.length >= 4 ? true : undefined), 30_000, 'four upstream calls');
    // every call is one good run of the instance that made it: read between runs, when no call waits
    const { runs, callsSoFar } = await eventually(async () => {
      const seen = calls.length;
      const pages = await Promise.all(apps.map((app) => scrapeMetrics(app.port)));
      const counted = pages.map((page) => metricValue(page, 'quoteflow_ingest_runs_total', { outcome: 'ok' }) ?? 0);
      return calls.length === seen && counted[0] + counted[1] === seen ? { runs: counted, callsSoFar: calls.slice(0, seen) } : undefined;
    }, 20_000, 'the upstream calls and the runs counted on /metrics agreeing');
    const callsBy = apps.map((app) => callsSoFar.filter((c) => c.holder?.includes(`:${app.pid}:`)).length);
    // no metric counts a refused tick: the log says it (that both instances do keep the schedule)
    const skipped = apps.map((app) => app.lines.filter((l) => /(cron|startup) run skipped/.test(l)).length);
    const exits = await Promise.all(apps.map((app) => app.stop('SIGTERM')));

    const callsPerSlot = new Map<number | null, number>();
    for (const { slot } of calls) callsPerSlot.set(slot, (callsPerSlot.get(slot) ?? 0) + 1);
    console.log(JSON.stringify({ upstreamCalls: calls.length, slots: callsPerSlot.size, runsPerInstance: runs, callsPerInstance: callsBy, skippedPerInstance: skipped, exits }));
    expect(callsPerSlot.has(null)).toBe(false);
    expect(Math.max(...callsPerSlot.values())).toBe(1);
    expect(runs[0] + runs[1]).toBe(callsSoFar.length);
    expect(runs).toEqual(callsBy);
    expect(skipped[0] + skipped[1]).toBeGreaterThan(0);
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });
});
