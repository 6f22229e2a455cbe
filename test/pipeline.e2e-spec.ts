import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { FakeUpstream } from './support/fake-upstream';
import { InProcessPipeline } from './support/in-process-pipeline';
import { upstreamFixture } from './support/fixtures';
import { startIngestor } from '../apps/ingestor/test/ingestor-app';
import { eventually, forgetSharedState, queueDrained, storedHistory } from './support/test-stack';
import { TEST_RAPIDAPI_KEY } from './support/secrets';

/**
 * The whole pipeline with its real parts: fake RapidAPI upstream on 127.0.0.1 → ingestor → SQS
 * emulator → processor → DynamoDB emulator → HTTP API. Each test has a pipeline (queue, table,
 * apps) of its own, so that each one passes alone as well as after the others.
 */
describe('pipeline: latest-stock-price → SQS → processor → DynamoDB → API', () => {
  let pipeline: InProcessPipeline;
  let upstream: FakeUpstream;
  let config: QuoteflowConfig;
  let ingestor: INestApplication;
  let processor: INestApplication;

  beforeEach(async () => {
    pipeline = new InProcessPipeline();
    upstream = pipeline.upstream;
    upstream.respond({ body: upstreamFixture('latest-stock-price/any.sample.json') });
    ({ config, ingestor, processor } = await pipeline.start());
  });

  afterEach(() => pipeline.stop());

  const api = () => request(ingestor.getHttpServer());
  const stored = (symbol: string, query = '') =>
    eventually(async () => {
      const res = await api().get(`/quotes/${encodeURIComponent(symbol)}${query}`);
      return res.status === 200 ? res.body : undefined;
    }, 20_000, `${symbol} stored`);
  /** One run of the fixture, published and stored: what most tests start from. */
  const ingested = async () => {
    await api().post('/ingest/trigger').expect(200);
    await queueDrained(processor.get(SQSClient), config);
  };

  it('stores the upstream values exactly, with the quote time converted from IST to UTC', async () => {
    const trigger = await api().post('/ingest/trigger').expect(200);

    expect(trigger.body).toMatchObject({ fetched: 5, published: 4, rejected: 1, rejectedByReason: { invalid_price: 1 } });
    expect(trigger.body.runId).toEqual(expect.any(String));
    const reliance = await stored('reliance');
    expect(reliance).toMatchObject({
      symbol: 'RELIANCE',
      series: 'EQ',
      price: 2945.35,
      high: 2961.35,
      low: 2931.1,
      quoteTime: '2024-09-16T10:29:47.000Z',
      source: 'latest-stock-price',
    });
    expect(reliance.insertedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(reliance.insertedAt)).toBeGreaterThan(Date.parse(trigger.body.startedAt));
  });

  it('sends the RapidAPI key and host to the upstream', async () => {
    await api().post('/ingest/trigger').expect(200);

    expect(upstream.requests.length).toBeGreaterThan(0);
    const { path, headers } = upstream.requests[0];
    expect(path).toBe('/any');
    expect(headers['x-rapidapi-key']).toBe(TEST_RAPIDAPI_KEY);
    expect(headers['x-rapidapi-host']).toBe('latest-stock-price.p.rapidapi.com');
  });

  it('keeps an index and one symbol on two series apart', async () => {
    await ingested();

    const nifty = await stored('NIFTY 50');
    expect(nifty).toMatchObject({ symbol: 'NIFTY 50', series: null, price: 25383.75, high: 25445.7, low: 25336.2 });

    const eq = await stored('SUZLON');
    expect(eq).toMatchObject({ series: 'EQ', price: 80.97, quoteTime: '2024-09-16T10:29:47.000Z' });
    const be = await stored('SUZLON', '?series=BE');
    expect(be).toMatchObject({ series: 'BE', price: 80.5, quoteTime: '2024-08-27T09:59:58.000Z' });
  });

  it('does not store the row whose price is "-"', async () => {
    await ingested();

    await api().get('/quotes/HALTED').expect(404);
  });

  it('does not publish unchanged rows again', async () => {
    await ingested();

    const again = await api().post('/ingest/trigger').expect(200);

    expect(again.body).toMatchObject({ fetched: 5, published: 0, unchanged: 4, rejected: 1 });
  });

  it('stores each quote once when an ingestor that forgot what was published publishes the same data again', async () => {
    await ingested();
    await ingestor.close();
    ingestor = pipeline.ingestor = await startIngestor(config);
    // a restart alone forgets nothing (the unchanged filter lives in the table): the same data is not sent again
    await expect(api().post('/ingest/trigger').expect(200)).resolves.toMatchObject({ body: { published: 0, unchanged: 4 } });
    await forgetSharedState(processor.get(DynamoDBDocumentClient), config);

    const again = await api().post('/ingest/trigger').expect(200);

    expect(again.body.published).toBe(4);
    // the processor has taken the re-published messages once the queue is empty again
    await queueDrained(processor.get(SQSClient), config);

    const history = await api().get('/quotes/RELIANCE/history').expect(200);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.nextCursor).toBeNull();
    const raw = await storedHistory(processor.get(DynamoDBDocumentClient), config, 'RELIANCE', 'EQ');
    expect(raw).toHaveLength(1);
  });

  it('lists the latest quote of every stored instrument', async () => {
    await ingested();

    const res = await api().get('/quotes').expect(200);
    const keys = res.body.items.map((q: { symbol: string; series: string | null }) => `${q.symbol}/${q.series}`);
    expect(keys.sort()).toEqual(['NIFTY 50/null', 'RELIANCE/EQ', 'SUZLON/BE', 'SUZLON/EQ']);
  });

  it('reports the last run and the upstream quota on /status, without the key', async () => {
    await ingested();

    const res = await api().get('/status').expect(200);
    expect(res.body.lastRun).toMatchObject({ outcome: 'ok', published: 4, rejected: 1 });
    expect(res.body.rateLimits['latest-stock-price']).toMatchObject({ limit: 500, resetSeconds: 86400 });
    expect(res.body.deadLetters).toEqual({ visible: 0, inFlight: 0 });
    expect(JSON.stringify(res.body)).not.toContain(TEST_RAPIDAPI_KEY);
  });
});
