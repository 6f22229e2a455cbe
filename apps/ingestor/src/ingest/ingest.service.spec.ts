import { decodeQuoteMessage } from '@app/common';
import { Registry } from 'prom-client';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit, OPEN } from '../../../../test/support/ingest-kit';
import { RunInProgressError } from './ingest.service';

const service = (...args: Parameters<typeof ingestKit>) => ingestKit(...args).ingest;

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
    const ingest = service([provider], queue);

    const summary = await ingest.run('manual');

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

  it('counts the run and its quotes per provider and reason in its metrics', async () => {
    const { queue } = fakeQueue();
    const registry = new Registry();
    const provider = new FakeProvider('latest-stock-price', answer([candidateFactory(), candidateFactory({ symbol: 'HALTED', price: null })]));
    const ingest = service([provider], queue, { registry });

    await ingest.run('manual');
    await ingest.run('cron');

    const value = async (name: string, labels: Record<string, string>) =>
      (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
    await expect(value('quoteflow_ingest_runs_total', { trigger: 'manual', outcome: 'ok' })).resolves.toBe(1);
    await expect(value('quoteflow_ingest_runs_total', { trigger: 'cron', outcome: 'ok' })).resolves.toBe(1);
    await expect(value('quoteflow_quotes_fetched_total', { provider: 'latest-stock-price' })).resolves.toBe(4);
    await expect(value('quoteflow_quotes_published_total', { provider: 'latest-stock-price' })).resolves.toBe(1);
    await expect(value('quoteflow_quotes_unchanged_total', { provider: 'latest-stock-price' })).resolves.toBe(1);
    await expect(value('quoteflow_quotes_rejected_total', { provider: 'latest-stock-price', reason: 'invalid_price' })).resolves.toBe(2);
    await expect(value('quoteflow_ingest_last_success_timestamp_seconds', {})).resolves.toBe(OPEN.getTime() / 1000);
  });

  it('reports quotes SQS would not take', async () => {
    const { queue } = fakeQueue(1);
    const ingest = service([new FakeProvider('demo', answer([candidateFactory(), candidateFactory({ symbol: 'TCS' })]))], queue);

    const summary = await ingest.run('manual');

    expect(summary).toMatchObject({ outcome: 'partial', published: 1, unpublished: 1 });
    expect(summary.errors).toEqual([{ provider: 'queue', failure: 'queue', message: '1 quote(s) could not be published to SQS' }]);
  });

  it('refuses a second run while one is in progress, and runs again afterwards', async () => {
    const { queue } = fakeQueue();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ingest = service(
      [
        new FakeProvider('demo', async () => {
          await gate;
          return { candidates: [candidateFactory()], rateLimit: null };
        }),
      ],
      queue,
    );

    const first = ingest.run('cron');
    await expect(ingest.run('manual')).rejects.toThrow(RunInProgressError);
    release();
    await expect(first).resolves.toMatchObject({ outcome: 'ok' });
    await expect(ingest.run('manual')).resolves.toMatchObject({ outcome: 'ok' });
  });

  it('does not publish a row again while its quote time is unchanged', async () => {
    const { queue, published } = fakeQueue();
    let price = 2945.35;
    let quoteTime = '2024-09-16T10:29:47.000Z';
    const ingest = service([new FakeProvider('latest-stock-price', async () => answer([candidateFactory({ price, quoteTime })])())], queue);

    const first = await ingest.run('cron');
    const second = await ingest.run('cron');
    price = 2946;
    quoteTime = '2024-09-16T10:30:47.000Z';
    const third = await ingest.run('cron');

    expect([first, second, third].map((s) => [s.published, s.unchanged])).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(published.flat().map((b) => decodeQuoteMessage(b).quote.price)).toEqual([2945.35, 2946]);
  });

  it('counts rows the provider itself refused with the other rejections', async () => {
    const { queue } = fakeQueue();
    const ingest = service(
      [
        new FakeProvider('alpha-vantage', async () => ({
          candidates: [candidateFactory({ source: 'alpha-vantage' })],
          rejections: [{ symbol: 'NOPE', reason: 'unknown_symbol' }],
          rateLimit: null,
        })),
      ],
      queue,
    );

    await expect(ingest.run('manual')).resolves.toMatchObject({
      fetched: 2,
      published: 1,
      rejected: 1,
      rejectedByReason: { unknown_symbol: 1 },
      providers: { 'alpha-vantage': { rejections: ['NOPE: unknown_symbol'] } },
    });
  });
});
