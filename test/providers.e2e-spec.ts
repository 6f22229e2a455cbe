import type { QuoteflowConfig } from '@app/common';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger, type INestApplication, type LoggerService } from '@nestjs/common';
import request from 'supertest';
import { startIngestor } from '../apps/ingestor/test/ingestor-app';
import { startProcessor } from '../apps/processor/test/processor-app';
import { advanceClock, restoreClock } from './support/clock';
import { FakeUpstream, type FakeAnswer } from './support/fake-upstream';
import { InProcessPipeline } from './support/in-process-pipeline';
import { upstreamFixture } from './support/fixtures';
import { forgetSharedState, queueDrained, testConfig } from './support/test-stack';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TEST_RAPIDAPI_KEY } from './support/secrets';

const KEY = TEST_RAPIDAPI_KEY;

/** Every log line the app writes, to prove the key never appears in one. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  private record = (...args: unknown[]) => void this.lines.push(args.map((a) => (a instanceof Error ? `${a.stack}` : String(a))).join(' '));
  log = this.record;
  error = this.record;
  warn = this.record;
  debug = this.record;
  verbose = this.record;
}

interface ProviderCase {
  provider: string;
  env: Record<string, string>;
  /** Answers the good fixture for any path. */
  good: (path: string) => FakeAnswer;
  /** Quotes the good fixture yields, and some of them with their exact stored fields. */
  published: number;
  stored: Record<string, Record<string, unknown>>;
  rejectedByReason: Record<string, number>;
}

const alphaBodies: Record<string, unknown> = {
  MSFT: upstreamFixture('alpha-vantage/msft.json'),
  NOPE: upstreamFixture('alpha-vantage/unknown.json'),
  ODD: upstreamFixture('alpha-vantage/bad-row.json'),
};

const cases: ProviderCase[] = [
  {
    provider: 'latest-stock-price',
    env: {},
    good: () => ({ body: upstreamFixture('latest-stock-price/any.sample.json') }),
    published: 4,
    stored: {
      RELIANCE: { price: 2945.35, high: 2961.35, low: 2931.1, quoteTime: '2024-09-16T10:29:47.000Z' },
      'NIFTY 50': { price: 25383.75, high: 25445.7, low: 25336.2, quoteTime: '2024-09-16T10:29:47.000Z' },
    },
    rejectedByReason: { invalid_price: 1 },
  },
  {
    provider: 'alpha-vantage',
    env: { SYMBOLS: 'MSFT,NOPE,ODD' },
    good: (path) => ({ body: alphaBodies[new URL(path, 'http://x').searchParams.get('symbol') ?? ''] }),
    published: 1,
    stored: { MSFT: { price: 430.59, high: 431.88, low: 427.01, quoteTime: '2024-09-13T20:00:00.000Z' } },
    rejectedByReason: { unknown_symbol: 1, high_below_low: 1 },
  },
  {
    provider: 'yahoo-finance',
    env: { SYMBOLS: 'AAPL,^GSPC,BAD,ODD,NOPE' },
    good: () => ({ body: upstreamFixture('yahoo-finance/get-quotes.sample.json') }),
    published: 2,
    stored: {
      AAPL: { price: 216.32, high: 217.22, low: 213.92, quoteTime: '2024-09-13T20:00:01.000Z' },
      '^GSPC': { price: 5626.02, high: 5636.27, low: 5601.65, quoteTime: '2024-09-13T20:26:22.000Z' },
    },
    rejectedByReason: { invalid_price: 1, price_outside_range: 1, unknown_symbol: 1 },
  },
  {
    provider: 'coingecko',
    env: {},
    good: () => ({ body: upstreamFixture('coingecko/markets.sample.json') }),
    published: 4,
    stored: {
      'PEPE-USD': { series: 'pepe', price: 0.00001812, high: 0.0000187, low: 0.0000176, quoteTime: '2024-12-30T08:41:10.112Z' },
      'ETH-USD': { series: 'ethereum', price: 3352.61, high: 3401.2, low: 3301.05, quoteTime: '2024-12-30T08:41:12.537Z' },
    },
    rejectedByReason: { missing_day_range: 1 },
  },
];

describe.each(cases)('$provider provider against a fake upstream', ({ provider, env, good, stored, published, rejectedByReason }) => {
  const upstream = new FakeUpstream();
  const logs = new RecordingLogger();
  let config: QuoteflowConfig;
  let app: INestApplication;
  let processor: INestApplication;
  const trigger = () => request(app.getHttpServer()).post('/ingest/trigger');
  const status = async () => (await request(app.getHttpServer()).get('/status').expect(200)).body;

  beforeAll(async () => {
    await upstream.start();
    config = await testConfig({
      MARKET_DATA_PROVIDER: provider,
      RAPIDAPI_KEY: KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      UPSTREAM_TIMEOUT_MS: '300',
      UPSTREAM_MAX_ATTEMPTS: '2',
      ...env,
    });
    processor = await startProcessor(config);
  });

  // a fresh app and shared state per test: quota pauses and the unchanged filter must not leak between cases
  beforeEach(async () => {
    Logger.overrideLogger(logs);
    await forgetSharedState(processor.get(DynamoDBDocumentClient), config);
    app = await startIngestor(config);
    app.useLogger(logs);
  });

  afterEach(async () => {
    await app.close();
  });

  afterAll(async () => {
    await processor?.close();
    await upstream.stop();
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.filter((l) => l.includes(KEY))).toEqual([]);
  });

  it('publishes exactly the good rows and counts the bad ones by reason', async () => {
    upstream.respond(good);

    const res = await trigger().expect(200);

    expect(res.body).toMatchObject({ published, rejectedByReason });
    expect(upstream.requests.every((r) => r.headers['x-rapidapi-key'] === KEY)).toBe(true);
    await queueDrained(processor.get(SQSClient), config);
    const { body } = await request(app.getHttpServer()).get('/quotes?limit=100').expect(200);
    expect(body.items).toHaveLength(published);
    for (const [symbol, fields] of Object.entries(stored)) {
      const quote = await request(app.getHttpServer()).get(`/quotes/${encodeURIComponent(symbol)}`).expect(200);
      expect(quote.body).toMatchObject({ symbol, source: provider, ...fields });
    }
  });

  it.each<[string, FakeAnswer, number, RegExp, string | undefined]>([
    ['401', { status: 401, body: { message: 'Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.' } }, 502, /HTTP 401: Invalid API key/, undefined],
    ['403', { status: 403, body: { message: 'You are not subscribed to this API.' } }, 502, /HTTP 403: You are not subscribed/, undefined],
    ['429 with reset headers', { status: 429, body: { message: 'Too many requests' }, headers: { 'x-ratelimit-requests-reset': '42' } }, 429, /HTTP 429: Too many requests/, '42'],
    ['429 without headers', { status: 429, body: { message: 'Too many requests' }, rateLimitHeaders: false }, 429, /HTTP 429/, '60'],
    ['500', { status: 500, body: { message: 'Internal error' } }, 502, /HTTP 500: Internal error/, undefined],
    ['a slow answer', { body: [], hang: true }, 502, /request failed \(ECONNABORTED\)/, undefined],
    ['an HTML body', { status: 200, body: '<!DOCTYPE html><html><body>Service Unavailable</body></html>' }, 502, /not JSON \(an HTML page\)/, undefined],
    ['truncated JSON', { status: 200, body: '[{"symbol":"RELIANCE","lastPrice":29' }, 502, /not JSON \(36 characters starting/, undefined],
  ])('answers %s with a clear error and keeps serving', async (_, answer, statusCode, message, retryAfter) => {
    upstream.respond(answer);

    const res = await trigger().expect(statusCode);

    expect(res.body.message).toMatch(message);
    expect(res.headers['retry-after']).toBe(retryAfter);
    expect(JSON.stringify(res.body)).not.toContain(KEY);
    expect((await status()).recentRuns[0].errors.join(' ')).toMatch(message);
    await request(app.getHttpServer()).get('/health').expect(200);
  });

  it('retries a 500 and gets through when the next attempt succeeds', async () => {
    let calls = 0;
    upstream.respond((path) => (++calls === 1 ? { status: 500, body: { message: 'flaky' } } : good(path)));

    await trigger().expect(200);
  });
});

describe('successive runs through 429, 500, HTML, then a good payload', () => {
  const pipeline = new InProcessPipeline();
  const upstream = pipeline.upstream;
  let config: QuoteflowConfig;
  let app: INestApplication;
  let processor: INestApplication;

  beforeAll(async () => {
    ({ config, ingestor: app, processor } = await pipeline.start({ UPSTREAM_MAX_ATTEMPTS: '2' }));
  });

  afterAll(() => pipeline.stop());
  afterEach(() => restoreClock());

  it('stays up, shows each failure in words on /status, and publishes the good payload', async () => {
    const api = () => request(app.getHttpServer());
    const answers: FakeAnswer[] = [
      { status: 429, body: { message: 'You have exceeded the DAILY quota for Requests on your current plan' }, headers: { 'retry-after': '1' } },
      { status: 500, body: { message: 'upstream exploded' } },
      { status: 200, body: '<html><body>Gateway maintenance</body></html>' },
      { body: upstreamFixture('latest-stock-price/any.sample.json') },
    ];
    const codes: number[] = [];
    for (const answer of answers) {
      upstream.respond(answer);
      codes.push((await api().post('/ingest/trigger')).status);
      if (codes.length === 1) advanceClock(1_100); // past the announced Retry-After
    }

    expect(codes).toEqual([429, 502, 502, 200]);
    const { body } = await api().get('/status').expect(200);
    expect(body.recentRuns.map((r: { errors: string[] }) => r.errors.join('; ')).reverse()).toEqual([
      'latest-stock-price: upstream answered HTTP 429: You have exceeded the DAILY quota for Requests on your current plan',
      'latest-stock-price: upstream answered HTTP 500: upstream exploded',
      'latest-stock-price: answered 200 with a body that is not JSON (an HTML page)',
      '',
    ]);
    expect(body.lastRun).toMatchObject({ outcome: 'ok', published: 4 });
    await queueDrained(processor.get(SQSClient), config);
    await api().get('/quotes/RELIANCE').expect(200, /"price":2945.35/);
  });
});
