import { decodeQuoteMessage, type ProviderName } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { strictFake } from '../../../../test/support/strict-fake';
import { MarketDataProvider, type ProviderFetch } from '../market-data/market-data-provider';
import { UpstreamError } from '../market-data/upstream.error';
import { IngestService, RunInProgressError } from './ingest.service';
import type { QuoteQueue } from './quote-queue';

class FakeProvider extends MarketDataProvider {
  constructor(
    readonly name: ProviderName,
    private readonly answer: () => Promise<ProviderFetch>,
  ) {
    super();
  }
  fetch() {
    return this.answer();
  }
}

function fakeQueue(failed = 0) {
  const published: string[][] = [];
  const queue = strictFake<QuoteQueue>({
    publish: async (bodies: string[]) => {
      published.push(bodies);
      return { published: bodies.length - failed, failed };
    },
  });
  return { queue, published };
}

const answer = (candidates: ProviderFetch['candidates']) => async (): Promise<ProviderFetch> => ({ candidates, rateLimit: null });

describe('IngestService', () => {
  it('publishes every valid row as one message and counts rejected rows by reason', async () => {
    const { queue, published } = fakeQueue();
    const provider = new FakeProvider(
      'latest-stock-price',
      answer([
        candidateFactory(),
        candidateFactory({ symbol: 'TCS' }),
        candidateFactory({ symbol: 'HALTED', price: null }),
        candidateFactory({ symbol: 'ODD', high: 1, low: 2 }),
        candidateFactory({ symbol: 'BAD', price: null }),
      ]),
    );
    const service = new IngestService([provider], queue);

    const summary = await service.run('manual');

    expect(summary).toMatchObject({
      trigger: 'manual',
      outcome: 'ok',
      fetched: 5,
      published: 2,
      rejected: 3,
      rejectedByReason: { invalid_price: 2, high_below_low: 1 },
      errors: [],
    });
    expect(published).toHaveLength(1);
    const messages = published[0].map(decodeQuoteMessage);
    expect(messages.map((m) => m.quote.symbol)).toEqual(['RELIANCE', 'TCS']);
    expect(messages.every((m) => m.runId === summary.runId)).toBe(true);
  });

  it('publishes a quote that two providers both return only once', async () => {
    const { queue, published } = fakeQueue();
    const rows = answer([candidateFactory()]);
    const service = new IngestService([new FakeProvider('demo', rows), new FakeProvider('latest-stock-price', rows)], queue);

    const summary = await service.run('manual');

    expect(summary).toMatchObject({ fetched: 2, published: 1 });
    expect(published[0]).toHaveLength(1);
  });

  it('keeps the quotes of one provider when another fails', async () => {
    const { queue } = fakeQueue();
    const failing = new FakeProvider('latest-stock-price', async () => {
      throw new UpstreamError('latest-stock-price', 'auth', 'upstream answered HTTP 403: You are not subscribed to this API.', { status: 403 });
    });
    const service = new IngestService([failing, new FakeProvider('demo', answer([candidateFactory({ source: 'demo' })]))], queue);

    const summary = await service.run('cron');

    expect(summary).toMatchObject({ outcome: 'partial', published: 1 });
    expect(summary.errors).toEqual([
      {
        provider: 'latest-stock-price',
        failure: 'auth',
        message: 'latest-stock-price: upstream answered HTTP 403: You are not subscribed to this API.',
      },
    ]);
  });

  it('reports a run as failed when every provider fails', async () => {
    const { queue } = fakeQueue();
    const service = new IngestService(
      [new FakeProvider('latest-stock-price', async () => Promise.reject(new Error('socket hang up')))],
      queue,
    );

    const summary = await service.run('cron');

    expect(summary).toMatchObject({ outcome: 'failed', fetched: 0, published: 0 });
    expect(service.state()).toMatchObject({ lastRun: summary, lastSuccessAt: null });
  });

  it('reports quotes SQS would not take', async () => {
    const { queue } = fakeQueue(1);
    const service = new IngestService([new FakeProvider('demo', answer([candidateFactory(), candidateFactory({ symbol: 'TCS' })]))], queue);

    const summary = await service.run('manual');

    expect(summary).toMatchObject({ outcome: 'partial', published: 1, unpublished: 1 });
    expect(summary.errors).toEqual([{ provider: 'queue', failure: 'queue', message: '1 quote(s) could not be published to SQS' }]);
  });

  it('refuses a second run while one is in progress, and runs again afterwards', async () => {
    const { queue } = fakeQueue();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const service = new IngestService(
      [
        new FakeProvider('demo', async () => {
          await gate;
          return { candidates: [candidateFactory()], rateLimit: null };
        }),
      ],
      queue,
    );

    const first = service.run('cron');
    await expect(service.run('manual')).rejects.toThrow(RunInProgressError);
    release();
    await expect(first).resolves.toMatchObject({ outcome: 'ok' });
    await expect(service.run('manual')).resolves.toMatchObject({ outcome: 'ok' });
  });

  it('keeps the latest quota each provider reported', async () => {
    const { queue } = fakeQueue();
    const rateLimit = { limit: 500, remaining: 12, resetSeconds: 3600, observedAt: '2024-09-16T10:30:00.000Z' };
    const service = new IngestService([new FakeProvider('latest-stock-price', async () => ({ candidates: [], rateLimit }))], queue);

    await service.run('cron');

    expect(service.state().rateLimits).toEqual({ 'latest-stock-price': rateLimit });
  });
});
