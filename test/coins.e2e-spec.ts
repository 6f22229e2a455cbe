import type { QuoteflowConfig } from '@app/common';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type FakeAnswer } from './support/fake-upstream';
import { InProcessPipeline } from './support/in-process-pipeline';
import { upstreamFixture } from './support/fixtures';
import { eventually, queueDrained, storedHistory } from './support/test-stack';
import { TEST_RAPIDAPI_KEY } from './support/secrets';

const KEY = TEST_RAPIDAPI_KEY;
const coins = upstreamFixture('coingecko/markets.sample.json');
const stocks = upstreamFixture('latest-stock-price/any.sample.json') as Record<string, unknown>[];
/** The stock payload one trading minute later: every row has a newer `lastUpdateTime`, RELIANCE a new price. */
const laterStocks = stocks.map((row) => ({
  ...row,
  lastUpdateTime: '17-Sep-2024 10:15:02',
  ...(row.symbol === 'RELIANCE' ? { lastPrice: 2950.1 } : {}),
}));

/** One fake RapidAPI upstream answering the stock path and the coin path each its own way. */
const byPath =
  (answers: { stocks: FakeAnswer; coins: FakeAnswer }) =>
  (path: string): FakeAnswer =>
    path.startsWith('/coins/markets') ? answers.coins : path.startsWith('/any') ? answers.stocks : { status: 404, body: { message: `no route ${path}` } };

describe('coins beside stocks: MARKET_DATA_PROVIDER=latest-stock-price,coingecko', () => {
  const pipeline = new InProcessPipeline();
  const upstream = pipeline.upstream;
  let config: QuoteflowConfig;
  let ingestor: INestApplication;
  let processor: INestApplication;
  const api = () => request(ingestor.getHttpServer());
  const quote = async (path: string) => (await api().get(path).expect(200)).body;
  /** The API may serve a latest quote from a short cache: wait until it shows the new one. */
  const quoteOnceAt = (path: string, quoteTime: string) =>
    eventually(async () => {
      const res = await api().get(path);
      return res.body.quoteTime === quoteTime ? res.body : undefined;
    }, 20_000, `${path} at ${quoteTime}`);

  beforeAll(async () => {
    ({ config, ingestor, processor } = await pipeline.start({
      MARKET_DATA_PROVIDER: 'latest-stock-price,coingecko',
      UPSTREAM_MAX_ATTEMPTS: '2',
      // the held coin answer below must not time out before the test releases it
      UPSTREAM_TIMEOUT_MS: '30000',
    }));
  });

  afterAll(() => pipeline.stop());

  it('stores stocks and coins from one trigger, each provider with its own outcome', async () => {
    upstream.respond(byPath({ stocks: { body: stocks }, coins: { body: coins } }));

    const res = await api().post('/ingest/trigger').expect(200);

    expect(res.body).toMatchObject({
      outcome: 'ok',
      fetched: 10,
      published: 8,
      rejectedByReason: { invalid_price: 1, missing_day_range: 1 },
      providers: {
        'latest-stock-price': { outcome: 'ok', fetched: 5, published: 4, rejected: 1 },
        coingecko: { outcome: 'ok', fetched: 5, published: 4, rejected: 1 },
      },
    });
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/any', '/coins/markets?vs_currency=usd&order=market_cap_desc&per_page=50&page=1']);
    expect(upstream.requests.find((r) => r.path.startsWith('/coins'))?.headers['x-rapidapi-host']).toBe('coingecko.p.rapidapi.com');
    await queueDrained(processor.get(SQSClient), config);
    await expect(quote('/quotes/RELIANCE')).resolves.toMatchObject({ price: 2945.35, quoteTime: '2024-09-16T10:29:47.000Z', source: 'latest-stock-price' });
  });

  it('stores exponent-notation prices exactly', async () => {
    const pepe = await quote('/quotes/PEPE-USD');

    expect(pepe).toMatchObject({
      symbol: 'PEPE-USD',
      series: 'pepe',
      price: 0.00001812,
      high: 0.0000187,
      low: 0.0000176,
      quoteTime: '2024-12-30T08:41:10.112Z',
      source: 'coingecko',
    });
    const raw = await storedHistory(processor.get(DynamoDBDocumentClient), config, 'PEPE-USD', 'pepe');
    expect(raw.map((q) => [q.price, q.high, q.low])).toEqual([[0.00001812, 0.0000187, 0.0000176]]);
  });

  it('rejects the coin without a 24 h range, and only that one', async () => {
    await api().get('/quotes/FRESH-USD').expect(404);

    const { body } = await api().get('/status').expect(200);
    expect(body.lastRun.rejectedByReason).toEqual({ invalid_price: 1, missing_day_range: 1 });
    expect(body.lastRun.providers.coingecko.rejections).toEqual(['FRESH-USD: missing_day_range']);
  });

  it('keeps the two coins that share the symbol usdt apart', async () => {
    const tether = await quote('/quotes/USDT-USD?series=tether');
    const bridged = await quote('/quotes/USDT-USD?series=bridged-tether-some-chain');

    expect(tether).toMatchObject({ series: 'tether', price: 0.998954, high: 1.002, low: 0.997311, quoteTime: '2024-12-30T08:41:11.000Z' });
    expect(bridged).toMatchObject({ series: 'bridged-tether-some-chain', price: 1.001, high: 1.004, low: 0.996, quoteTime: '2024-12-30T08:39:40.000Z' });
    const dynamo = processor.get(DynamoDBDocumentClient);
    const histories = await Promise.all(['tether', 'bridged-tether-some-chain'].map((series) => storedHistory(dynamo, config, 'USDT-USD', series)));
    expect(histories.map((h) => h.map((q) => [q.series, q.price]))).toEqual([[['tether', 0.998954]], [['bridged-tether-some-chain', 1.001]]]);
    const history = await quote('/quotes/USDT-USD/history?series=tether');
    expect(history.items.map((q: { series: string }) => q.series)).toEqual(['tether']);
  });

  it('publishes the stocks while the coin path is still answering', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const newer = stocks.map((row) => ({ ...row, lastUpdateTime: '17-Sep-2024 10:14:02' }));
    upstream.respond(byPath({ stocks: { body: newer }, coins: { body: coins, hold: held } }));

    const run = api().post('/ingest/trigger').then((res) => res);
    const stored = await quoteOnceAt('/quotes/RELIANCE', '2024-09-17T04:44:02.000Z');
    release();
    const res = await run;

    expect(stored).toMatchObject({ price: 2945.35, source: 'latest-stock-price' });
    expect(res.body).toMatchObject({ outcome: 'ok', providers: { coingecko: { outcome: 'ok', published: 0, unchanged: 4 } } });
  });

  it('keeps storing new stock quotes while the coin path answers 500, and says so per provider', async () => {
    const before = upstream.requests.length;
    upstream.respond(byPath({ stocks: { body: laterStocks }, coins: { status: 500, body: { message: 'Internal Server Error' } } }));

    const res = await api().post('/ingest/trigger').expect(200);

    expect(res.body).toMatchObject({
      outcome: 'partial',
      published: 4,
      errors: [{ provider: 'coingecko', failure: 'unavailable', message: 'coingecko: upstream answered HTTP 500: Internal Server Error' }],
      providers: {
        'latest-stock-price': { outcome: 'ok', published: 4 },
        coingecko: { outcome: 'failed', published: 0, error: 'coingecko: upstream answered HTTP 500: Internal Server Error' },
      },
    });
    // the coin call was retried (UPSTREAM_MAX_ATTEMPTS=2), the stock call made once
    expect(upstream.requests.slice(before).map((r) => r.path.split('?')[0]).sort()).toEqual(['/any', '/coins/markets', '/coins/markets']);
    await queueDrained(processor.get(SQSClient), config);
    await expect(quoteOnceAt('/quotes/RELIANCE', '2024-09-17T04:45:02.000Z')).resolves.toMatchObject({ price: 2950.1 });
    await expect(quote('/quotes/PEPE-USD')).resolves.toMatchObject({ price: 0.00001812, quoteTime: '2024-12-30T08:41:10.112Z' });

    const { body } = await api().get('/status').expect(200);
    const says = Object.fromEntries(body.providers.map((p: { name: string; lastRun: { says: string } }) => [p.name, p.lastRun.says]));
    expect(says).toEqual({
      'latest-stock-price': 'ok: fetched 5, published 4, rejected 1, unchanged 0',
      coingecko: 'failed: coingecko: upstream answered HTTP 500: Internal Server Error (fetched 0, published 0, rejected 0, unchanged 0)',
    });
    expect(body.recentRuns[0].providers).toEqual(says);
    expect(JSON.stringify(body)).not.toContain(KEY);
  });

  it("explains CoinGecko's own rate-limit answer and pauses only the coin feed", async () => {
    upstream.respond(
      byPath({
        stocks: { body: laterStocks },
        coins: { status: 429, body: { status: { error_code: 429, error_message: "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing" } } },
      }),
    );

    const res = await api().post('/ingest/trigger').expect(200);

    expect(res.body.providers).toMatchObject({
      'latest-stock-price': { outcome: 'ok', unchanged: 4 },
      coingecko: { outcome: 'failed', error: expect.stringMatching(/^coingecko: upstream answered HTTP 429: You've exceeded the Rate Limit/) },
    });
    const { body } = await api().get('/status').expect(200);
    const gates = Object.fromEntries(body.providers.map((p: { name: string; blocked: { reason: string } | null }) => [p.name, p.blocked?.reason ?? null]));
    expect(gates).toEqual({ 'latest-stock-price': null, coingecko: 'quota' });
  });
});
