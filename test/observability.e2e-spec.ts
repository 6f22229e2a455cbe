import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { encodeQuoteMessage, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { quoteFactory } from './support/factories';
import { InProcessPipeline } from './support/in-process-pipeline';
import { upstreamFixture } from './support/fixtures';
import { metricValue } from './support/prometheus';
import { eventually } from './support/test-stack';

const scrape = async (app: INestApplication) => (await request(app.getHttpServer()).get('/metrics').expect(200).expect('content-type', /text\/plain/)).text;

describe('metrics: /metrics of both apps move with a run', () => {
  const pipeline = new InProcessPipeline();
  let config: QuoteflowConfig;
  let ingestor: INestApplication;
  let processor: INestApplication;
  let sqs: SQSClient;

  beforeAll(async () => {
    pipeline.upstream.respond({ body: upstreamFixture('latest-stock-price/any.sample.json') });
    ({ config, ingestor, processor } = await pipeline.start({ MARKET_HOURS: 'always' }));
    sqs = processor.get(SQSClient);
  });

  afterAll(() => pipeline.stop());

  it('counts the run, the upstream call, the quotes by reason, and the stored messages with their write time and lag', async () => {
    const before = await scrape(ingestor);
    expect(metricValue(before, 'quoteflow_ingest_runs_total')).toBeUndefined();

    await request(ingestor.getHttpServer()).post('/ingest/trigger').expect(200);
    const page = await eventually(async () => {
      const text = await scrape(processor);
      return metricValue(text, 'quoteflow_messages_processed_total', { outcome: 'stored' }) === 4 ? text : undefined;
    }, 20_000, '4 messages stored');

    const ingest = await scrape(ingestor);
    const provider = { provider: 'latest-stock-price' };
    expect(metricValue(ingest, 'quoteflow_ingest_runs_total', { trigger: 'manual', outcome: 'ok' })).toBe(1);
    expect(metricValue(ingest, 'quoteflow_upstream_requests_total', { ...provider, status: '200' })).toBe(1);
    expect(metricValue(ingest, 'quoteflow_upstream_request_duration_seconds_count', provider)).toBe(1);
    expect(metricValue(ingest, 'quoteflow_upstream_quota_remaining', provider)).toBe(499); // the fake's header
    expect(metricValue(ingest, 'quoteflow_upstream_quota_limit', provider)).toBe(500);
    expect(metricValue(ingest, 'quoteflow_quotes_fetched_total', provider)).toBe(5);
    expect(metricValue(ingest, 'quoteflow_quotes_published_total', provider)).toBe(4);
    expect(metricValue(ingest, 'quoteflow_quotes_rejected_total', { ...provider, reason: 'invalid_price' })).toBe(1);
    expect(metricValue(ingest, 'quoteflow_ingest_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(metricValue(ingest, 'quoteflow_queue_messages', { queue: 'dlq', state: 'visible' })).toBe(0);
    expect(metricValue(ingest, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    expect(metricValue(page, 'quoteflow_batches_processed_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(page, 'quoteflow_storage_write_duration_seconds_count', { result: 'stored' })).toBe(4);
    expect(metricValue(page, 'quoteflow_pipeline_lag_seconds_count')).toBe(4);
    // the fixture's quotes are from 2024: their age at store is large, and counted
    expect(metricValue(page, 'quoteflow_quote_age_at_store_seconds_count')).toBe(4);
    expect(metricValue(page, 'quoteflow_quote_age_at_store_seconds_sum')).toBeGreaterThan(4 * 86_400);
    expect(metricValue(page, 'nodejs_heap_size_used_bytes', { app: 'processor' })).toBeGreaterThan(0);
  });

  it('counts a redelivered quote as stored, a backfilled bar turned away by the live quote as a duplicate, and a poison message as a DLQ send', async () => {
    const queueUrl = await resolveQueueUrl(sqs, config.queue.name);
    const quote = quoteFactory({ symbol: 'OBSDUP' });
    const body = encodeQuoteMessage(quote, 'run-obs', new Date().toISOString());
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await eventually(async () => (metricValue(await scrape(processor), 'quoteflow_messages_processed_total', { outcome: 'stored' }) === 5 ? true : undefined));

    // a redelivery rewrites its own record (ADR 0006: no conditional write per quote to tell it apart)
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await eventually(async () => (metricValue(await scrape(processor), 'quoteflow_messages_processed_total', { outcome: 'stored' }) === 6 ? true : undefined));
    const bar = { ...quote, high: quote.price, low: quote.price, origin: 'backfill' as const, interval: '1m' as const };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: encodeQuoteMessage(bar, 'backfill-obs', new Date().toISOString()) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json at all' }));

    const page = await eventually(async () => {
      const text = await scrape(processor);
      return metricValue(text, 'quoteflow_dlq_sends_total', { reason: 'not_json' }) === 1 && metricValue(text, 'quoteflow_duplicates_skipped_total') === 1
        ? text
        : undefined;
    }, 20_000, 'duplicate and DLQ send counted');
    expect(metricValue(page, 'quoteflow_messages_processed_total', { outcome: 'duplicate' })).toBe(1);
    expect(metricValue(page, 'quoteflow_messages_processed_total', { outcome: 'dead_lettered' })).toBe(1);
    const dlqDepth = await eventually(async () => {
      const depth = metricValue(await scrape(processor), 'quoteflow_queue_messages', { queue: 'dlq', state: 'visible' });
      return depth === 1 ? depth : undefined;
    });
    expect(dlqDepth).toBe(1);
  });
});

describe('health: liveness and readiness', () => {
  const pipeline = new InProcessPipeline();
  const upstream = pipeline.upstream;
  let ingestor: INestApplication;
  let processor: INestApplication;

  beforeAll(async () => {
    upstream.respond({ status: 500, body: { message: 'upstream down' } });
    ({ ingestor, processor } = await pipeline.start({ MARKET_HOURS: 'always', INGEST_CRON: '* * * * * *', HEALTH_MAX_MISSED_RUNS: '2', UPSTREAM_MAX_ATTEMPTS: '1' }));
  });

  afterAll(() => pipeline.stop());

  const health = (app: INestApplication, path: string) => request(app.getHttpServer()).get(path);

  it('reports the ingestor not ready once no run has succeeded for N schedule periods, and ready again after a good run', async () => {
    const down = await eventually(async () => {
      const res = await health(ingestor, '/health/ready');
      return res.status === 503 ? res.body : undefined;
    }, 15_000, 'ingestor not ready');
    expect(down.details).toMatchObject({
      queue: { status: 'up' },
      table: { status: 'up' },
      ingest: { status: 'down', maxAgeSeconds: 2, message: expect.stringMatching(/no good ingest run in the last 2 schedule periods/) },
    });
    await health(ingestor, '/health/live').expect(200);
    await health(ingestor, '/health').expect(503);

    upstream.respond({ body: upstreamFixture('latest-stock-price/any.sample.json') });
    const up = await eventually(async () => {
      const res = await health(ingestor, '/health/ready');
      return res.status === 200 ? res.body : undefined;
    }, 15_000, 'ingestor ready again');
    expect(up.details.ingest).toMatchObject({ status: 'up', lastGood: expect.stringMatching(/^run .* \(ok\)$/) });
  });

  it('reports the processor live and ready on its own port', async () => {
    const ready = await health(processor, '/health/ready').expect(200);
    expect(Object.keys(ready.body.details).sort()).toEqual(['queue', 'table']);
    const live = await health(processor, '/health/live').expect(200);
    expect(live.body).toMatchObject({ status: 'ok', details: { process: { status: 'up' } } });
  });
});
