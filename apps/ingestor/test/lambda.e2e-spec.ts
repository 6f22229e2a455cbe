import type { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient, queueDepth, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Context } from 'aws-lambda';
import request from 'supertest';
import { advanceClock, restoreClock } from '../../../test/support/clock';
import { quoteFactory } from '../../../test/support/factories';
import { seedQuotes } from '../../../test/support/seed';
import { httpApiEventFactory } from '../../../test/support/lambda-events';
import { TEST_BUILD_DIR } from '../../../test/support/build-apps';
import { eventually, testStack } from '../../../test/support/test-stack';
import { runNodeScript } from '../../../tools/node-script';
import { resolve } from 'node:path';
import { handler, ingest } from '../src/lambda';
import { QuoteReader } from '../src/quotes/quote-reader';
import { startIngestor } from './ingestor-app';
import { TEST_ADMIN_API_KEY } from '../../../test/support/secrets';

const ADMIN_KEY = TEST_ADMIN_API_KEY;
const lambdaContext = {} as Context;
const scheduledEvent = {
  version: '0',
  id: 'e1',
  'detail-type': 'Scheduled Event' as const,
  source: 'aws.events',
  account: '123456789012',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/quoteflow-ingest'],
  detail: {},
};

/** The ingestor's Lambda exports, from source, against the emulators, side by side with the container app. */
describe('ingestor Lambda handlers', () => {
  let config: QuoteflowConfig;
  let stackEnv: Record<string, string>;
  let container: INestApplication;
  let dynamo: DynamoDBDocumentClient;
  let sqs: SQSClient;
  const createApp = jest.spyOn(NestFactory, 'create');
  const get = (path: string, headers?: Record<string, string>) => handler(httpApiEventFactory('GET', path, { headers }), lambdaContext);

  beforeAll(async () => {
    // a schedule that would fire every second, and a run at start-up: neither may happen inside Lambda
    const stack = await testStack({ ADMIN_API_KEY: ADMIN_KEY, INGEST_CRON: '* * * * * *', INGEST_ON_START: 'true' });
    config = stack.config;
    stackEnv = stack.env;
    Object.assign(process.env, stack.env);
    container = await startIngestor({ ...config, ingest: { ...config.ingest, cron: null, onStart: false } });
    dynamo = createDocumentClient(config.aws);
    sqs = createSqsClient(config.aws);
    await seedQuotes(
      dynamo,
      config,
      [1, 2, 3].map((minute) =>
        quoteFactory({ symbol: 'TCS', price: 4100 + minute, high: 4200, low: 4000, quoteTime: `2024-09-16T10:0${minute}:00.000Z` }),
      ),
    );
  });

  afterEach(() => restoreClock());

  afterAll(async () => {
    const lambdaApp = (await createApp.mock.results[0]?.value) as INestApplication | undefined;
    await lambdaApp?.close();
    await container?.close();
    dynamo?.destroy();
    sqs?.destroy();
  });

  it.each(['/quotes/tcs', '/quotes/TCS/history?limit=2', '/quotes/NOPE', '/quotes/%3Cscript%3E', '/quotes?limit=1'])(
    'answers GET %s exactly as the container does',
    async (path) => {
      const fromContainer = await request(container.getHttpServer()).get(path);

      const fromLambda = await get(path);

      expect(fromLambda.statusCode).toBe(fromContainer.status);
      // the latest quote's age moves with the clock, and `stale` follows each app's schedule
      const { ageSeconds: _a, stale: _s, ...lambdaBody } = JSON.parse(fromLambda.body ?? '');
      const { ageSeconds: _b, stale: _t, ...containerBody } = fromContainer.body;
      expect(lambdaBody).toEqual(containerBody);
      expect(fromLambda.headers?.['content-type']).toMatch(/^application\/json/);
    },
  );

  it.each([
    ['text/csv', 'csv'],
    ['application/x-ndjson', 'ndjson'],
  ])('answers Accept: %s with the export the container streams', async (accept, format) => {
    const fromContainer = await request(container.getHttpServer()).get(`/quotes/TCS/history?format=${format}`).buffer(true).parse((res, done) => {
      let body = '';
      (res as unknown as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (body += chunk.toString()));
      (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, body));
    });

    const fromLambda = await get('/quotes/TCS/history', { accept });

    expect(fromLambda.statusCode).toBe(200);
    expect(fromLambda.headers?.['content-type']).toBe(`${accept}; charset=utf-8`);
    const body = fromLambda.isBase64Encoded ? Buffer.from(fromLambda.body ?? '', 'base64').toString('utf8') : fromLambda.body;
    expect(body).toBe(fromContainer.body);
    expect((body ?? '').match(/2024-09-16T10:0\d:00\.000Z/g)).toEqual(['2024-09-16T10:03:00.000Z', '2024-09-16T10:02:00.000Z', '2024-09-16T10:01:00.000Z']);
  });

  it('answers the latest quote of a symbol with the stored values', async () => {
    const res = await get('/quotes/TCS');

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '')).toMatchObject({ symbol: 'TCS', price: 4103, quoteTime: '2024-09-16T10:03:00.000Z' });
  });

  it('keeps a server error a 500, with the JSON error shape and no stack trace', async () => {
    const spy = jest.spyOn(QuoteReader.prototype, 'latestBySeries').mockRejectedValueOnce(new Error('socket hang up'));
    try {
      // a symbol not read before: latest reads are cached for a moment
      const res = await get('/quotes/INFY');

      expect(res.statusCode).toBe(500);
      expect(JSON.parse(res.body ?? '')).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
    } finally {
      spy.mockRestore();
    }
  });

  it('needs the admin key for POST /ingest/trigger', async () => {
    const refused = await handler(httpApiEventFactory('POST', '/ingest/trigger'), lambdaContext);
    const accepted = await handler(httpApiEventFactory('POST', '/ingest/trigger', { headers: { 'x-api-key': ADMIN_KEY } }), lambdaContext);

    expect(refused.statusCode).toBe(401);
    expect(accepted.statusCode).toBe(200);
    expect(JSON.parse(accepted.body ?? '')).toMatchObject({ outcome: 'ok', published: 5 });
  });

  it('runs one ingest for a schedule event and publishes its quotes', async () => {
    const QueueUrl = await resolveQueueUrl(sqs, config.queue.name);
    const depth = async () => (await queueDepth(sqs, QueueUrl)).visible;
    const before = await depth();
    // demo quotes are timed to the second, and an unchanged quote is not published twice: a second
    // later, every demo quote is a new one whatever ran before
    advanceClock(1_000);

    const summary = await ingest(scheduledEvent);

    expect(summary).toMatchObject({ trigger: 'cron', outcome: 'ok', published: 5 });
    await expect(depth()).resolves.toBe(before + 5);
  });

  it('runs nothing for a second delivery of the same schedule event', async () => {
    await expect(ingest(scheduledEvent)).resolves.toEqual({ skipped: expect.stringMatching(/has already run/) });
  });

  // the container app of this suite is built by @nestjs/testing, which does not go through NestFactory
  it('builds the Nest app once for every invocation of both handlers', () => {
    expect(createApp).toHaveBeenCalledTimes(1);
  });

  // On AWS the two exports are two functions: two processes that share only the table and the queues.
  it("keeps no schedule in the API function, and its /status shows the run the schedule function made in another process", async () => {
    // the schedule function: the built ingest export in a process of its own, for the next minute's slot (not run yet); a Lambda container ends with its invocation, this process exits
    const event = { ...scheduledEvent, id: 'e2', time: new Date(Date.parse(scheduledEvent.time) + 60_000).toISOString() };
    const script = `require(${JSON.stringify(resolve(TEST_BUILD_DIR, 'apps/ingestor/src/lambda.js'))}).ingest(${JSON.stringify(event)})
      .then((r) => { process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n'); process.exit(0); }, (err) => { console.error(err); process.exit(1); });`;
    const line = await runNodeScript(script, { cwd: TEST_BUILD_DIR, env: { PATH: process.env.PATH ?? '', ...stackEnv, LOG_LEVEL: 'warn' }, marker: 'RESULT ', what: 'the schedule function' });
    const scheduled = JSON.parse(line) as { runId: string; trigger: string; outcome: string };
    expect(scheduled).toMatchObject({ trigger: 'cron', outcome: 'ok' });

    // the API function, in this process, answers from the table (its reads are cached for a second at most)
    const status = await eventually(async () => {
      const body = JSON.parse((await get('/status')).body ?? '');
      return body.lastRun?.runId === scheduled.runId ? body : undefined;
    }, 10_000, "the schedule function's run on the API function's /status");

    expect(status).toMatchObject({ nextRunAt: null, lastRun: { trigger: 'cron', outcome: 'ok' }, lastSuccessAt: expect.any(String) });
    expect(status.recentRuns.map((r: { runId: string }) => r.runId)).toContain(scheduled.runId);
  });
});
