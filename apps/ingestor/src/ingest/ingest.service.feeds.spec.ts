import { decodeQuoteMessage } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit } from '../../../../test/support/ingest-kit';
import { strictFake } from '../../../../test/support/strict-fake';
import { UpstreamError } from '../market-data/upstream.error';
import type { QuoteQueue } from './quote-queue';

const service = (...args: Parameters<typeof ingestKit>) => ingestKit(...args).ingest;

describe('IngestService: several feeds in one run', () => {
  const unavailable = () => new UpstreamError('coingecko', 'unavailable', 'upstream answered HTTP 500: Internal error', { status: 500 });
  const coin = candidateFactory({ symbol: 'PEPE-USD', series: 'pepe', price: 0.00001812, high: 0.0000187, low: 0.0000176, source: 'coingecko' });

  it('publishes one feed as soon as it answers, while another is still retrying', async () => {
    let release!: () => void;
    const retrying = new Promise<void>((resolve) => (release = resolve));
    let announce!: (bodies: string[]) => void;
    const firstPublish = new Promise<string[]>((resolve) => (announce = resolve));
    const queue = strictFake<QuoteQueue>({
      publish: async (bodies: string[]) => {
        announce(bodies);
        return { published: bodies.length, failed: 0 };
      },
    });
    const coins = new FakeProvider('coingecko', async () => {
      await retrying;
      throw unavailable();
    });
    const ingest = service([coins, new FakeProvider('latest-stock-price', answer([candidateFactory()]))], queue);

    const running = ingest.run('manual');
    const stocks = await firstPublish;
    release();
    const summary = await running;

    expect(stocks.map((b) => decodeQuoteMessage(b).quote.symbol)).toEqual(['RELIANCE']);
    expect(summary).toMatchObject({ outcome: 'partial', published: 1 });
  });

  it('marks the provider whose quotes SQS would not take', async () => {
    const queue = strictFake<QuoteQueue>({
      publish: async (bodies: string[]) => {
        const coins = bodies.filter((b) => decodeQuoteMessage(b).quote.source === 'coingecko').length;
        return { published: bodies.length - coins, failed: coins };
      },
    });
    const ingest = service([new FakeProvider('coingecko', answer([coin])), new FakeProvider('latest-stock-price', answer([candidateFactory()]))], queue);

    const summary = await ingest.run('manual');

    expect(summary).toMatchObject({ outcome: 'partial', published: 1, unpublished: 1 });
    expect(summary.providers).toMatchObject({
      coingecko: { outcome: 'failed', published: 0, error: '1 quote(s) could not be published to SQS' },
      'latest-stock-price': { outcome: 'ok', published: 1 },
    });
  });

  it('keeps a provider that throws something unexpected to itself', async () => {
    const { queue } = fakeQueue();
    const ingest = service(
      [new FakeProvider('coingecko', async () => Promise.reject(new TypeError('boom'))), new FakeProvider('latest-stock-price', answer([candidateFactory()]))],
      queue,
    );

    const summary = await ingest.run('manual');

    expect(summary).toMatchObject({ outcome: 'partial', published: 1, errors: [{ provider: 'coingecko', failure: 'unexpected', message: 'boom' }] });
  });

  it('publishes a quote that two providers both return only once', async () => {
    const { queue, published } = fakeQueue();
    const rows = answer([candidateFactory()]);
    const ingest = service([new FakeProvider('demo', rows), new FakeProvider('latest-stock-price', rows)], queue);

    const summary = await ingest.run('manual');

    expect(summary).toMatchObject({ fetched: 2, published: 1 });
    expect(published[0]).toHaveLength(1);
  });

  it('keeps the quotes of one provider when another fails', async () => {
    const { queue } = fakeQueue();
    const failing = new FakeProvider('latest-stock-price', async () => {
      throw new UpstreamError('latest-stock-price', 'auth', 'upstream answered HTTP 403: You are not subscribed to this API.', { status: 403 });
    });
    const ingest = service([failing, new FakeProvider('demo', answer([candidateFactory({ source: 'demo' })]))], queue);

    const summary = await ingest.run('cron');

    expect(summary).toMatchObject({ outcome: 'partial', published: 1 });
    expect(summary.errors).toEqual([
      {
        provider: 'latest-stock-price',
        failure: 'auth',
        message: 'latest-stock-price: upstream answered HTTP 403: You are not subscribed to this API.',
      },
    ]);
  });
});
