import { parseConfig } from '@app/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { fakeQueue, ingestKit } from '../../../../test/support/ingest-kit';
import { IngestFreshness } from './ingest-freshness';

const START = new Date('2024-09-16T04:30:00.000Z');

function setup(env: Record<string, string> = { INGEST_CRON: '* * * * *' }) {
  let now = START;
  const config = parseConfig(env);
  const { history } = ingestKit([], fakeQueue().queue, { now: () => now, config });
  const freshness = new IngestFreshness(new HealthIndicatorService(), history, config, () => now);
  return { freshness, history, at: (ms: number) => (now = new Date(START.getTime() + ms)) };
}

describe('IngestFreshness', () => {
  it('gives a new process the same grace for its first good run, then reports down', () => {
    const { freshness, at } = setup();

    expect(freshness.check()).toMatchObject({ ingest: { status: 'up', note: 'starting: no good run yet' } });
    at(3 * 60_000 + 1);
    expect(freshness.check()).toMatchObject({ ingest: { status: 'down', maxAgeSeconds: 180, lastGoodRunAt: null } });
  });

  it('reads the last good run from the run history, a slot run elsewhere included', () => {
    const { freshness, history, at } = setup();
    at(5 * 60_000);

    history.ranElsewhere();

    expect(freshness.check()).toMatchObject({ ingest: { status: 'up', lastGood: 'slot run by another instance', lastGoodRunAt: '2024-09-16T04:35:00.000Z' } });
    at(8 * 60_000 + 1);
    expect(freshness.check()).toMatchObject({ ingest: { status: 'down' } });
  });

  it('is up and says so when this process keeps no schedule', () => {
    const { freshness } = setup({ INGEST_CRON: 'off' });

    expect(freshness.check()).toMatchObject({ ingest: { status: 'up', schedule: 'not kept by this process' } });
  });
});
