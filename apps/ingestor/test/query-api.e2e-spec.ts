import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Quote, QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { quoteFactory } from '../../../test/support/factories';
import { seedQuotes } from '../../../test/support/seed';
import { testConfig } from '../../../test/support/test-stack';
import { startIngestor } from './ingestor-app';

const START = Date.parse('2024-09-16T03:45:00.000Z'); // 09:15 in Mumbai
const N = 500;

/** 500 one-minute quotes with varying prices, built without the code under test. */
function fiveHundredQuotes(): Quote[] {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: N }, (_, i) => {
    const cents = 150_000 + Math.round(next() * 4_000);
    const price = cents / 100;
    return quoteFactory({
      symbol: 'INFY',
      series: 'EQ',
      price,
      high: (cents + Math.round(next() * 300)) / 100,
      low: (cents - Math.round(next() * 300)) / 100,
      quoteTime: new Date(START + i * 60_000).toISOString(),
    });
  });
}

/**
 * Candles computed the plain way: IST is UTC+05:30 all year, so buckets are offset arithmetic. Daily
 * candles span the stored day ranges; an intraday one its prices and each day high (low) that rose
 * (fell) since the previous quote of the same IST day.
 */
function expectedCandles(quotes: Quote[], stepMs: number) {
  const offset = 5.5 * 3600_000;
  const istDay = (q: Quote) => Math.floor((Date.parse(q.quoteTime) + offset) / 86_400_000);
  const buckets = new Map<number, { q: Quote; high: number; low: number }[]>();
  quotes.forEach((q, i) => {
    const t = Date.parse(q.quoteTime);
    const start = Math.floor((t + offset) / stepMs) * stepMs - offset;
    const prev = i > 0 && istDay(quotes[i - 1]) === istDay(q) ? quotes[i - 1] : null;
    const high = stepMs === 86_400_000 || (prev && q.high! > prev.high!) ? q.high! : q.price;
    const low = stepMs === 86_400_000 || (prev && q.low! < prev.low!) ? q.low! : q.price;
    buckets.set(start, [...(buckets.get(start) ?? []), { q, high, low }]);
  });
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, qs]) => ({
      time: new Date(start).toISOString(),
      open: qs[0].q.price,
      high: Math.max(...qs.map((e) => e.high)),
      low: Math.min(...qs.map((e) => e.low)),
      close: qs[qs.length - 1].q.price,
      count: qs.length,
    }));
}

describe('query API over 500 stored quotes', () => {
  const quotes = fiveHundredQuotes();
  let config: QuoteflowConfig;
  let app: INestApplication;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    config = await testConfig({ INGEST_CRON: '* * * * *' });
    app = await startIngestor(config);
    await seedQuotes(app.get(DynamoDBDocumentClient), config, [
      ...quotes,
      quoteFactory({ symbol: 'TCS', price: 4100.05, high: 4120.9, low: 4088.15 }),
      quoteFactory({ symbol: 'PEPE-USD', series: 'pepe', price: 0.00001812, high: 0.0000187, low: 0.0000176, source: 'coingecko' }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('pages through the whole history, newest first, each quote once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await api()
        .get(`/quotes/INFY/history?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...page.body.items.map((q: Quote) => q.quoteTime));
      cursor = page.body.nextCursor;
    } while (cursor);

    expect(seen).toEqual(quotes.map((q) => q.quoteTime).reverse());
  });

  it.each([
    ['1m', 60_000],
    ['5m', 300_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
  ])('builds %s candles that match an independent computation', async (interval, stepMs) => {
    const res = await api().get(`/quotes/INFY/candles?interval=${interval}&from=2024-09-16T03:45:00Z&to=2024-09-16T12:04:00Z`).expect(200);

    expect(res.body).toMatchObject({ symbol: 'INFY', series: 'EQ', interval, timeZone: 'Asia/Kolkata' });
    expect(res.body.candles).toEqual(expectedCandles(quotes, stepMs));
  });

  it('answers the latest quote with its age, a stale flag and a validator for cheap polling', async () => {
    const first = await api().get('/quotes/INFY').expect(200);

    expect(first.body).toMatchObject({ price: quotes[N - 1].price, quoteTime: quotes[N - 1].quoteTime, stale: true });
    expect(first.body.ageSeconds).toBeGreaterThan(3600);
    expect(first.headers['cache-control']).toBe('public, max-age=2');
    await api().get('/quotes/INFY').set('If-None-Match', first.headers.etag).expect(304);
  });

  it('keeps every digit of a tiny coin price', async () => {
    const res = await api().get('/quotes/PEPE-USD').expect(200);

    expect(res.body).toMatchObject({ price: 0.00001812, high: 0.0000187, low: 0.0000176 });
  });

  it('answers the latest of several symbols in one call, leaving unknown ones out', async () => {
    const res = await api().get('/quotes?symbols=infy,TCS,NOPE,pepe-usd').expect(200);

    expect(res.body.items.map((q: Quote) => [q.symbol, q.series, q.price])).toEqual([
      ['INFY', 'EQ', quotes[N - 1].price],
      ['TCS', 'EQ', 4100.05],
      ['PEPE-USD', 'pepe', 0.00001812],
    ]);
  });

  it('lists what is stored on /symbols', async () => {
    const res = await api().get('/symbols').expect(200);

    expect(res.body.items).toEqual([
      { symbol: 'INFY', series: 'EQ', source: 'latest-stock-price', lastQuoteTime: quotes[N - 1].quoteTime, lastPrice: quotes[N - 1].price },
      { symbol: 'PEPE-USD', series: 'pepe', source: 'coingecko', lastQuoteTime: '2024-09-16T10:29:47.000Z', lastPrice: 0.00001812 },
      { symbol: 'TCS', series: 'EQ', source: 'latest-stock-price', lastQuoteTime: '2024-09-16T10:29:47.000Z', lastPrice: 4100.05 },
    ]);
  });

  it.each([
    ['/quotes/INFY/candles?interval=2m', /interval must be one of 1m, 5m, 15m, 1h, 1d/],
    ['/quotes/INFY/candles?interval=1m&from=2024-01-01&to=2024-09-16', /more than 1000 1m candles/],
    ['/quotes/INFY/candles?from=soon', /from must be an ISO-8601/],
    ['/quotes/INFY/history?limit=501', /limit must be between 1 and 500/],
    ['/quotes/INFY/history?cursor=eyJ4Ijox', /cursor is not valid/],
    ['/quotes/IN%23FY', /symbol must be/],
    ['/quotes?symbols=INFY,%3Cb%3E', /symbols must be comma-separated/],
  ])('answers 400 with a message for %s', async (path, message) => {
    const res = await api().get(path).expect(400);

    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('answers 404 for candles of an unknown symbol', async () => {
    await api().get('/quotes/NOPE/candles').expect(404);
  });

  it('documents the API at /docs', async () => {
    const doc = await api().get('/docs/openapi.json').expect(200);

    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/quotes', '/quotes/{symbol}', '/quotes/{symbol}/history', '/quotes/{symbol}/candles', '/symbols', '/ingest/trigger', '/status']),
    );
    await api().get('/docs').expect(200, /swagger/i);
  });
});
