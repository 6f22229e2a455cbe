import { decodeQuoteMessage, parseConfig, type ProviderName } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { strictFake } from '../../../../test/support/strict-fake';
import { exchangeHours, MarketDataProvider, type ProviderFetch } from '../market-data/market-data-provider';
import { UpstreamError } from '../market-data/upstream.error';
import { Registry } from 'prom-client';
import { IngestMetrics } from './ingest.metrics';
import { IngestService, RunInProgressError } from './ingest.service';
import type { QuoteQueue } from './quote-queue';

class FakeProvider extends MarketDataProvider {
  calls = 0;
  constructor(
    readonly name: ProviderName,
    private readonly answer: () => Promise<ProviderFetch>,
    readonly marketHours = null as ReturnType<typeof exchangeHours> | null,
  ) {
    super();
  }
  fetch() {
    this.calls++;
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

const config = parseConfig({});
/** Monday 2024-09-16 10:00 in Mumbai: NSE is open. */
const OPEN = new Date('2024-09-16T04:30:00.000Z');
const service = (providers: MarketDataProvider[], queue: QuoteQueue, now: () => Date = () => OPEN, registry = new Registry()) =>
  new IngestService(providers, queue, new IngestMetrics(registry), config, now);

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
    const ingest = service([provider], queue, () => OPEN, registry);

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

  it('reports a run as failed when every provider fails', async () => {
    const { queue } = fakeQueue();
    const ingest = service(
      [new FakeProvider('latest-stock-price', async () => Promise.reject(new Error('socket hang up')))],
      queue,
    );

    const summary = await ingest.run('cron');

    expect(summary).toMatchObject({ outcome: 'failed', fetched: 0, published: 0 });
    expect(ingest.state()).toMatchObject({ lastRun: summary, lastSuccessAt: null });
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

  it('keeps the latest quota each provider reported', async () => {
    const { queue } = fakeQueue();
    const rateLimit = { limit: 500, remaining: 12, resetSeconds: 3600, observedAt: '2024-09-16T10:30:00.000Z' };
    const ingest = service([new FakeProvider('latest-stock-price', async () => ({ candidates: [], rateLimit }))], queue);

    await ingest.run('cron');

    expect(ingest.state().rateLimits).toEqual({ 'latest-stock-price': rateLimit });
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

    expect([first, second, third].map((s) => [s.published, s.stale])).toEqual([
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

  describe('several feeds in one run', () => {
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

    it('shows each provider\'s outcome in the run summary and on the status, in words', async () => {
      const { queue } = fakeQueue();
      const ingest = service(
        [
          new FakeProvider('latest-stock-price', answer([candidateFactory(), candidateFactory({ symbol: 'BAD', price: null })])),
          new FakeProvider('coingecko', async () => Promise.reject(unavailable())),
        ],
        queue,
      );

      const summary = await ingest.run('manual');

      expect(summary.providers).toEqual({
        'latest-stock-price': { outcome: 'ok', fetched: 2, published: 1, rejected: 1, rejections: ['BAD: invalid_price'], stale: 0 },
        coingecko: { outcome: 'failed', fetched: 0, published: 0, rejected: 0, rejections: [], stale: 0, error: 'coingecko: upstream answered HTTP 500: Internal error' },
      });
      const state = ingest.state();
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
      const ingest = service(
        [
          new FakeProvider('coingecko', answer([coin])),
          new FakeProvider('latest-stock-price', answer([candidateFactory()]), exchangeHours('Mon-Fri 09:15-15:30 Asia/Kolkata')),
        ],
        queue,
        () => new Date('2024-09-15T06:00:00.000Z'),
      );

      await ingest.run('manual');
      const scheduled = await ingest.run('cron');

      expect(scheduled.providers['latest-stock-price']).toEqual({
        outcome: 'skipped',
        fetched: 0,
        published: 0,
        rejected: 0,
        rejections: [],
        stale: 0,
        reason: 'market closed (Mon-Fri 09:15-15:30 Asia/Kolkata)',
      });
      expect(scheduled.providers.coingecko).toMatchObject({ outcome: 'ok', stale: 1 });
      expect(ingest.state().providers.find((p) => p.name === 'latest-stock-price')?.lastRun?.says).toBe(
        'skipped: market closed (Mon-Fri 09:15-15:30 Asia/Kolkata)',
      );
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
  });

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
      const ingest = service([provider], queue, () => now);

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
      const ingest = service([new FakeProvider('latest-stock-price', async () => Promise.reject(quotaError(null)))], queue);

      await ingest.run('cron');

      expect(ingest.retryAfterSeconds()).toBe(60);
    });

    it('stops scheduled calls after a rejected key; a manual run tries again', async () => {
      const { queue } = fakeQueue();
      let subscribed = false;
      const provider = new FakeProvider('latest-stock-price', async () => {
        if (!subscribed) throw new UpstreamError('latest-stock-price', 'auth', 'upstream answered HTTP 403: You are not subscribed to this API.', { status: 403 });
        return { candidates: [candidateFactory()], rateLimit: null };
      });
      const ingest = service([provider], queue);

      await ingest.run('cron');
      const skipped = await ingest.run('cron');
      subscribed = true;
      const manual = await ingest.run('manual');
      const cron = await ingest.run('cron');

      expect(skipped).toMatchObject({ outcome: 'skipped', skipped: [{ reason: expect.stringMatching(/You are not subscribed/) }] });
      expect(ingest.state().providers[0].blocked).toBeNull();
      expect(manual.outcome).toBe('ok');
      expect(cron.outcome).toBe('ok');
      expect(provider.calls).toBe(3);
    });

    it('keeps the quotes a provider fetched before it stopped part-way', async () => {
      const { queue } = fakeQueue();
      const ingest = service(
        [new FakeProvider('latest-stock-price', async () => ({ candidates: [candidateFactory()], rateLimit: null, failure: quotaError(30) }))],
        queue,
      );

      const summary = await ingest.run('cron');

      expect(summary).toMatchObject({ outcome: 'partial', published: 1, errors: [{ failure: 'quota' }] });
      expect(ingest.retryAfterSeconds()).toBe(30);
    });
  });

  describe('market hours', () => {
    const nse = exchangeHours('Mon-Fri 09:15-15:30 Asia/Kolkata');
    /** Sunday in Mumbai. */
    const SUNDAY = new Date('2024-09-15T06:00:00.000Z');

    it('skips a provider on the schedule while its market is closed, but not the demo feed', async () => {
      const { queue } = fakeQueue();
      const nseProvider = new FakeProvider('latest-stock-price', answer([candidateFactory()]), nse);
      const demo = new FakeProvider('demo', answer([candidateFactory({ symbol: 'ACME', source: 'demo' })]));
      const ingest = service([nseProvider, demo], queue, () => SUNDAY);

      const summary = await ingest.run('cron');

      expect(nseProvider.calls).toBe(0);
      expect(summary).toMatchObject({
        published: 1,
        skipped: [{ provider: 'latest-stock-price', reason: 'market closed (Mon-Fri 09:15-15:30 Asia/Kolkata)' }],
      });
    });

    it('calls the provider on a manual trigger even when its market is closed', async () => {
      const { queue } = fakeQueue();
      const nseProvider = new FakeProvider('latest-stock-price', answer([candidateFactory()]), nse);
      const ingest = service([nseProvider], queue, () => SUNDAY);

      await expect(ingest.run('manual')).resolves.toMatchObject({ outcome: 'ok', published: 1 });
    });

    it('never skips with MARKET_HOURS=always', async () => {
      const { queue } = fakeQueue();
      const nseProvider = new FakeProvider('latest-stock-price', answer([candidateFactory()]), nse);
      const ingest = new IngestService([nseProvider], queue, new IngestMetrics(new Registry()), parseConfig({ MARKET_HOURS: 'always' }), () => SUNDAY);

      await expect(ingest.run('cron')).resolves.toMatchObject({ outcome: 'ok' });
    });
  });
});
