import { parseConfig } from '@app/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit } from '../../../../test/support/ingest-kit';
import { MemoryStateStore } from '../../../../test/support/memory-state-store';
import { IngestFreshness } from './ingest-freshness';

const START = new Date('2024-09-16T04:30:00.000Z');

function setup(env: Record<string, string> = { INGEST_CRON: '* * * * *' }) {
  let now = START;
  const config = parseConfig(env);
  const store = new MemoryStateStore();
  const { history } = ingestKit([], fakeQueue().queue, { now: () => now, config, store });
  // another process sharing the table
  const other = ingestKit([new FakeProvider('latest-stock-price', answer([candidateFactory()]))], fakeQueue().queue, { now: () => now, config, store });
  const freshness = new IngestFreshness(new HealthIndicatorService(), history, config, () => now);
  return { freshness, other, at: (ms: number) => (now = new Date(START.getTime() + ms)) };
}

describe('IngestFreshness', () => {
  it('gives a new process the same grace for its first good run, then reports down', async () => {
    const { freshness, at } = setup();

    expect(await freshness.check()).toMatchObject({ ingest: { status: 'up', note: 'starting: no good run yet' } });
    at(3 * 60_000 + 1);
    expect(await freshness.check()).toMatchObject({ ingest: { status: 'down', maxAgeSeconds: 180, lastGoodRunAt: null } });
  });

  it('reads the last good run of any process from the shared table', async () => {
    const { freshness, other, at } = setup();
    at(5 * 60_000);

    const run = await other.ingest.run('cron');

    expect(await freshness.check()).toMatchObject({ ingest: { status: 'up', lastGood: `run ${run.runId} (ok)`, lastGoodRunAt: '2024-09-16T04:35:00.000Z' } });
    at(8 * 60_000 + 1);
    expect(await freshness.check()).toMatchObject({ ingest: { status: 'down' } });
  });

  it('is up and says so when this process keeps no schedule', async () => {
    const { freshness } = setup({ INGEST_CRON: 'off' });

    expect(await freshness.check()).toMatchObject({ ingest: { status: 'up', schedule: 'not kept by this process' } });
  });
});
