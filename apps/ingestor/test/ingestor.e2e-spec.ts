import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { FakeUpstream } from '../../../test/support/fake-upstream';
import { quoteFactory } from '../../../test/support/factories';
import { upstreamFixture } from '../../../test/support/fixtures';
import { seedQuotes } from '../../../test/support/seed';
import { eventually, testConfig } from '../../../test/support/test-stack';
import { startIngestor } from './ingestor-app';
import { TEST_ADMIN_API_KEY, TEST_RAPIDAPI_KEY } from '../../../test/support/secrets';

const ADMIN_KEY = TEST_ADMIN_API_KEY;

describe('ingestor HTTP API', () => {
  const upstream = new FakeUpstream();
  let config: QuoteflowConfig;
  let app: INestApplication;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    await upstream.start();
    config = await testConfig({
      MARKET_DATA_PROVIDER: 'latest-stock-price',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      ADMIN_API_KEY: ADMIN_KEY,
      UPSTREAM_TIMEOUT_MS: '2000',
    });
    app = await startIngestor(config);
    // ten stored quotes of one instrument, one a minute, written as the processor writes them
    const quotes = Array.from({ length: 10 }, (_, minute) =>
      quoteFactory({ symbol: 'TCS', price: 4100 + minute, high: 4200, low: 4000, quoteTime: `2024-09-16T10:0${minute}:00.000Z` }),
    );
    await seedQuotes(app.get(DynamoDBDocumentClient), config, quotes);
  });

  afterAll(async () => {
    await app?.close();
    await upstream.stop();
  });

  describe('queries', () => {
    it('answers the latest quote of a symbol, case-insensitively', async () => {
      const res = await api().get('/quotes/tcs').expect(200);

      expect(res.body).toMatchObject({ symbol: 'TCS', series: 'EQ', price: 4109, quoteTime: '2024-09-16T10:09:00.000Z' });
    });

    it('pages through the history, newest first, with an opaque cursor', async () => {
      const first = await api().get('/quotes/TCS/history?limit=4').expect(200);
      const second = await api().get(`/quotes/TCS/history?limit=4&cursor=${first.body.nextCursor}`).expect(200);
      const third = await api().get(`/quotes/TCS/history?limit=4&cursor=${second.body.nextCursor}`).expect(200);

      const prices = [...first.body.items, ...second.body.items, ...third.body.items].map((q: { price: number }) => q.price);
      expect(prices).toEqual([4109, 4108, 4107, 4106, 4105, 4104, 4103, 4102, 4101, 4100]);
      expect(third.body.nextCursor).toBeNull();
    });

    it('limits the history to a time range', async () => {
      const res = await api().get('/quotes/TCS/history?from=2024-09-16T10:02:00Z&to=2024-09-16T10:04:00Z').expect(200);

      expect(res.body.items.map((q: { quoteTime: string }) => q.quoteTime)).toEqual([
        '2024-09-16T10:04:00.000Z',
        '2024-09-16T10:03:00.000Z',
        '2024-09-16T10:02:00.000Z',
      ]);
    });

    it('answers 404 with a JSON error for a symbol with nothing stored', async () => {
      const res = await api().get('/quotes/NOPE').expect(404);

      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no quote stored for NOPE' });
    });

    it.each([
      ['/quotes/%3Cscript%3E', /symbol must be/],
      [`/quotes/${'A'.repeat(100)}`, /symbol must be/],
      ['/quotes/TCS/history?limit=0', /limit must be between 1 and 500/],
      ['/quotes/TCS/history?limit=abc', /limit must be an integer/],
      ['/quotes/TCS/history?from=yesterday', /from must be an ISO-8601/],
      ['/quotes/TCS/history?from=2024-09-17&to=2024-09-16', /from must not be after to/],
      ['/quotes/TCS/history?cursor=garbage', /cursor is not valid/],
      ['/quotes/TCS?series=%24%24', /series must be/],
      ['/quotes/TCS?colour=red', /property colour should not exist/],
      ['/quotes?symbols=TCS&symbols=%3Cx%3E', /symbols must be comma-separated symbols/],
      [`/quotes/TCS/candles?from=2024-09-17&to=2024-09-16`, /from must not be after to/],
      // a well-formed key of this listing, outside the requested range
      [
        `/quotes/TCS/history?from=2024-09-16T10:02:00Z&to=2024-09-16T10:04:00Z&cursor=${Buffer.from(JSON.stringify({ pk: 'H#TCS#EQ', sk: '2030-01-01T00:00:00.000Z' })).toString('base64url')}`,
        /cursor is not valid/,
      ],
    ])('answers 400 with a message for %s', async (path, message) => {
      const res = await api().get(path).expect(400);

      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    });

    it('refuses a cursor of another symbol', async () => {
      // a cursor as the listing makes them (the table holds one instrument, so its listing has no next page)
      const listingCursor = Buffer.from(JSON.stringify({ instrument: 'TCS#EQ' })).toString('base64url');
      await api().get(`/quotes?limit=1&cursor=${listingCursor}`).expect(200);

      await api().get(`/quotes/TCS/history?cursor=${listingCursor}`).expect(400);
    });

    it('answers an empty candle list for a from after the latest quote', async () => {
      const res = await api().get('/quotes/TCS/candles?from=2030-01-01').expect(200);

      expect(res.body).toMatchObject({ symbol: 'TCS', candles: [] });
    });
  });

  describe('POST /ingest/trigger', () => {
    const trigger = () => api().post('/ingest/trigger').set('x-api-key', ADMIN_KEY);

    it('needs the admin key when one is configured', async () => {
      await api().post('/ingest/trigger').expect(401);
      await api().post('/ingest/trigger').set('x-api-key', 'wrong').expect(401);
    });

    it('publishes a run and answers its summary', async () => {
      upstream.respond({ body: upstreamFixture('latest-stock-price/any.sample.json') });

      const res = await trigger().expect(200);

      expect(res.body).toMatchObject({ fetched: 5, published: 4, rejected: 1 });
      const status = await api().get('/status').expect(200);
      expect(status.body.queue.visible).toBe(4);
    });

    it('answers 409 while a run is in progress', async () => {
      let answerUpstream!: () => void;
      upstream.respond({ body: [], hold: new Promise<void>((resolve) => (answerUpstream = resolve)) });
      const asked = upstream.requests.length;
      const first = trigger().then((res) => res);
      await eventually(async () => (upstream.requests.length > asked ? true : undefined), 10_000, 'the first run calling the upstream');

      const second = await trigger();
      answerUpstream();

      expect([(await first).status, second.status]).toEqual([200, 409]);
    });

    it.each([
      [{ status: 401, body: { message: 'Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.' } }, /HTTP 401: Invalid API key/],
      [{ status: 403, body: { message: 'You are not subscribed to this API.' } }, /HTTP 403: You are not subscribed/],
      [{ status: 502, body: '<html><body>Bad gateway</body></html>' }, /HTTP 502/],
      [{ status: 200, body: '<html>maintenance</html>' }, /not JSON/],
      [{ status: 200, body: { message: 'odd' } }, /not a JSON array/],
      [{ body: [], hang: true }, /request failed \(ECONNABORTED\)/],
    ])('turns an upstream failure into a 502 with a message, and keeps serving: %j', async (answer, message) => {
      upstream.respond(answer);

      const res = await trigger().expect(502);

      expect(res.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway', message: expect.stringMatching(message) });
      expect(JSON.stringify(res.body)).not.toContain(TEST_RAPIDAPI_KEY);
      const status = await api().get('/status').expect(200);
      expect(status.body.lastRun).toMatchObject({ outcome: 'failed' });
      await api().get('/quotes/TCS').expect(200);
    });

    it('answers 429 with Retry-After when the upstream quota is exhausted', async () => {
      upstream.respond({
        status: 429,
        body: { message: 'You have exceeded the DAILY quota for Requests on your current plan' },
        headers: { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': '3600' },
      });

      const res = await trigger().expect(429);

      expect(res.headers['retry-after']).toBe('3600');
      expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/exceeded the DAILY quota/) });
    });
  });

  it('reports ready on /health while queue and table answer', async () => {
    const res = await api().get('/health').expect(200);

    expect(res.body).toMatchObject({ status: 'ok', info: { queue: { status: 'up' }, table: { status: 'up' } } });
  });

  it('never returns the RapidAPI key', async () => {
    const status = await api().get('/status').expect(200);

    expect(JSON.stringify(status.body)).not.toContain(TEST_RAPIDAPI_KEY);
  });
});
