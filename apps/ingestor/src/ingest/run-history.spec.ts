import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit } from '../../../../test/support/ingest-kit';
import { UpstreamError } from '../market-data/upstream.error';
import { MemoryStateStore } from '../../../../test/support/memory-state-store';

/** Sunday in Mumbai, within the years of the NSE calendar. */
const SUNDAY = new Date('2026-12-06T06:00:00.000Z');
const unavailable = () => new UpstreamError('coingecko', 'unavailable', 'upstream answered HTTP 500: Internal error', { status: 500 });

describe('RunHistory', () => {
  it('reports a run as failed when every provider fails', async () => {
    const { queue } = fakeQueue();
    const { ingest, history } = ingestKit([new FakeProvider('latest-stock-price', async () => Promise.reject(new Error('socket hang up')))], queue);

    const summary = await ingest.run('cron');

    expect(summary).toMatchObject({ outcome: 'failed', fetched: 0, published: 0 });
    expect(await history.status()).toMatchObject({ lastRun: summary, lastSuccessAt: null });
  });

  it('keeps the latest quota each provider reported', async () => {
    const { queue } = fakeQueue();
    const rateLimit = { limit: 500, remaining: 12, resetSeconds: 3600, observedAt: '2024-09-16T10:30:00.000Z' };
    const { ingest, history } = ingestKit([new FakeProvider('latest-stock-price', async () => ({ candidates: [], rateLimit }))], queue);

    await ingest.run('cron');

    expect((await history.status()).rateLimits).toEqual({ 'latest-stock-price': rateLimit });
  });

  it('shows each provider\'s outcome in the run summary and on the status, in words', async () => {
    const { queue } = fakeQueue();
    const { ingest, history } = ingestKit(
      [
        new FakeProvider('latest-stock-price', answer([candidateFactory(), candidateFactory({ symbol: 'BAD', price: null })])),
        new FakeProvider('coingecko', async () => Promise.reject(unavailable())),
      ],
      queue,
    );

    const summary = await ingest.run('manual');

    expect(summary.providers).toEqual({
      'latest-stock-price': { outcome: 'ok', fetched: 2, published: 1, rejected: 1, rejections: ['BAD: invalid_price'], unchanged: 0 },
      coingecko: { outcome: 'failed', fetched: 0, published: 0, rejected: 0, rejections: [], unchanged: 0, error: 'coingecko: upstream answered HTTP 500: Internal error' },
    });
    const state = await history.status();
    expect(state.recentRuns[0].providers).toEqual({
      'latest-stock-price': 'ok: fetched 2, published 1, rejected 1, unchanged 0',
      coingecko: 'failed: coingecko: upstream answered HTTP 500: Internal error (fetched 0, published 0, rejected 0, unchanged 0)',
    });
    expect(state.providers.map((p) => [p.name, p.lastRun?.outcome])).toEqual([
      ['latest-stock-price', 'ok'],
      ['coingecko', 'failed'],
    ]);
  });

  it('keeps a provider\'s last outcome on the status while later runs skip it', async () => {
    const { queue } = fakeQueue();
    const coin = candidateFactory({ symbol: 'PEPE-USD', series: 'pepe', price: 0.00001812, high: 0.0000187, low: 0.0000176, source: 'coingecko' });
    const { ingest, history } = ingestKit(
      [new FakeProvider('coingecko', answer([coin])), new FakeProvider('latest-stock-price', answer([candidateFactory()]))],
      queue,
      { now: () => SUNDAY },
    );

    await ingest.run('manual');
    const scheduled = await ingest.run('cron');

    expect(scheduled.providers['latest-stock-price']).toEqual({
      outcome: 'skipped',
      fetched: 0,
      published: 0,
      rejected: 0,
      rejections: [],
      unchanged: 0,
      reason: 'market closed: weekend, next open 2026-12-07T03:45:00.000Z',
    });
    expect(scheduled.providers.coingecko).toMatchObject({ outcome: 'ok', unchanged: 1 });
    expect((await history.status()).providers.find((p) => p.name === 'latest-stock-price')?.lastRun?.says).toBe(
      'skipped: market closed: weekend, next open 2026-12-07T03:45:00.000Z',
    );
  });

  describe('the last good run', () => {
    it('counts a scheduled run with every market closed, for the status and the metric alike', async () => {
      const { queue } = fakeQueue();
      const { ingest, history, registry } = ingestKit([new FakeProvider('latest-stock-price', answer([candidateFactory()]))], queue, { now: () => SUNDAY });

      const summary = await ingest.run('cron');

      expect(summary.outcome).toBe('skipped');
      expect((await history.status()).lastSuccessAt).toBe(SUNDAY.toISOString());
      expect(await history.lastGood()).toEqual({ at: SUNDAY.toISOString(), how: `run ${summary.runId} (skipped)` });
      const gauge = await registry.getSingleMetric('quoteflow_ingest_last_success_timestamp_seconds')!.get();
      expect(gauge.values[0].value).toBe(SUNDAY.getTime() / 1000);
    });

    it('does not count a run skipped for a quota pause, and keeps the earlier good one', async () => {
      const { queue } = fakeQueue();
      let now = new Date('2024-09-16T04:30:00.000Z');
      let calls = 0;
      const quota = new UpstreamError('latest-stock-price', 'quota', 'upstream answered HTTP 429', { status: 429, retryAfterSeconds: 600 });
      const provider = new FakeProvider('latest-stock-price', async () => {
        if (calls++ > 0) throw quota;
        return { candidates: [candidateFactory()], rateLimit: null };
      });
      const { ingest, history } = ingestKit([provider], queue, { now: () => now });

      await ingest.run('cron');
      const good = now.toISOString();
      now = new Date(now.getTime() + 60_000);
      await expect(ingest.run('cron')).resolves.toMatchObject({ outcome: 'failed' });
      now = new Date(now.getTime() + 60_000);
      await expect(ingest.run('cron')).resolves.toMatchObject({ outcome: 'skipped', skipped: [{ cause: 'quota' }] });

      expect((await history.status()).lastSuccessAt).toBe(good);
    });

    it('counts a good run of another process sharing the table', async () => {
      const store = new MemoryStateStore();
      const other = ingestKit([new FakeProvider('latest-stock-price', answer([candidateFactory()]))], fakeQueue().queue, { now: () => SUNDAY, store });
      const { history } = ingestKit([new FakeProvider('latest-stock-price', answer([candidateFactory()]))], fakeQueue().queue, { now: () => SUNDAY, store });

      const summary = await other.ingest.run('cron');

      expect(await history.lastGood()).toEqual({ at: SUNDAY.toISOString(), how: `run ${summary.runId} (skipped)` });
      expect((await history.status()).lastRun).toEqual(summary);
    });
  });
});
