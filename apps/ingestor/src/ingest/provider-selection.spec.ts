import { candidateFactory } from '../../../../test/support/factories';
import { fakeQueue, FakeProvider, ingestKit, OPEN } from '../../../../test/support/ingest-kit';
import { UpstreamError } from '../market-data/upstream.error';

describe('ProviderSelection', () => {
  describe('upstream trouble', () => {
    const quotaError = (retryAfterSeconds: number | null) =>
      new UpstreamError('latest-stock-price', 'quota', 'upstream answered HTTP 429: Too many requests', { status: 429, retryAfterSeconds });

    it('pauses a provider after a quota answer until the announced reset, for every kind of run', async () => {
      const { queue } = fakeQueue();
      let now = OPEN;
      let fail = true;
      const provider = new FakeProvider('latest-stock-price', async () => {
        if (fail) throw quotaError(120);
        return { candidates: [candidateFactory()], rateLimit: null };
      });
      const { ingest } = ingestKit([provider], queue, { now: () => now });

      const first = await ingest.run('cron');
      fail = false;
      now = new Date(OPEN.getTime() + 60_000);
      const during = await ingest.run('manual');
      now = new Date(OPEN.getTime() + 121_000);
      const after = await ingest.run('cron');

      expect(first.outcome).toBe('failed');
      expect(during).toMatchObject({ outcome: 'skipped', skipped: [{ provider: 'latest-stock-price', reason: expect.stringMatching(/^quota exhausted, paused until 2024-09-16T04:32:00.000Z/) }] });
      expect(provider.calls).toBe(2);
      expect(after).toMatchObject({ outcome: 'ok', published: 1 });
    });

    it('pauses for a minute when a quota answer gives no reset', async () => {
      const { queue } = fakeQueue();
      const { ingest, selection } = ingestKit([new FakeProvider('latest-stock-price', async () => Promise.reject(quotaError(null)))], queue);

      await ingest.run('cron');

      expect(await selection.retryAfterSeconds()).toBe(60);
    });

    it('stops scheduled calls after a rejected key; a manual run tries again', async () => {
      const { queue } = fakeQueue();
      let subscribed = false;
      const provider = new FakeProvider('latest-stock-price', async () => {
        if (!subscribed) throw new UpstreamError('latest-stock-price', 'auth', 'upstream answered HTTP 403: You are not subscribed to this API.', { status: 403 });
        return { candidates: [candidateFactory()], rateLimit: null };
      });
      const { ingest, history } = ingestKit([provider], queue);

      await ingest.run('cron');
      const skipped = await ingest.run('cron');
      subscribed = true;
      const manual = await ingest.run('manual');
      const cron = await ingest.run('cron');

      expect(skipped).toMatchObject({ outcome: 'skipped', skipped: [{ reason: expect.stringMatching(/You are not subscribed/) }] });
      expect((await history.status()).providers[0].blocked).toBeNull();
      expect(manual.outcome).toBe('ok');
      expect(cron.outcome).toBe('ok');
      expect(provider.calls).toBe(3);
    });

    it('keeps the quotes a provider fetched before it stopped part-way', async () => {
      const { queue } = fakeQueue();
      const { ingest, selection } = ingestKit(
        [new FakeProvider('latest-stock-price', async () => ({ candidates: [candidateFactory()], rateLimit: null, failure: quotaError(30) }))],
        queue,
      );

      const summary = await ingest.run('cron');

      expect(summary).toMatchObject({ outcome: 'partial', published: 1, errors: [{ failure: 'quota' }] });
      expect(await selection.retryAfterSeconds()).toBe(30);
    });
  });
});
