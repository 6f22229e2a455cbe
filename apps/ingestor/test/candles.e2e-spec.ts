import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Quote } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { quoteFactory } from '../../../test/support/factories';
import { seedQuotes } from '../../../test/support/seed';
import { testConfig } from '../../../test/support/test-stack';
import { startIngestor } from './ingestor-app';

const OPEN = Date.parse('2024-09-16T03:45:00.000Z'); // 09:15 in Mumbai
const RISE = 40; // the minute whose quote reports a new day high
const FALL = 47; // the minute whose quote reports a new day low

/**
 * An NSE morning: the first stored quote already says day high 110 / low 95 (reached before it, at
 * an unknown time), then an hour of prices between 100 and 102, one new day high 104.5 and one new
 * day low 99.5 on the way.
 */
function morning(): Quote[] {
  return Array.from({ length: 60 }, (_, i) => {
    const price = 100 + ((i * 7) % 9) * 0.25; // 100 .. 102
    return quoteFactory({
      symbol: 'ACME',
      price,
      high: i >= RISE ? 110.5 : 110,
      low: i >= FALL ? 94.75 : 95,
      quoteTime: new Date(OPEN + i * 60_000).toISOString(),
    });
  });
}

/** An ingestor of its own for the enclosing suite, with `quotes` stored (a fresh app, so its metrics start at zero). */
function seededIngestor(quotes: Quote[]): () => INestApplication {
  let app: INestApplication;
  beforeAll(async () => {
    const config = await testConfig({ INGEST_CRON: '* * * * *' });
    app = await startIngestor(config);
    await seedQuotes(app.get(DynamoDBDocumentClient), config, quotes);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => app;
}

describe('candles of a day whose range was set before the first stored quote', () => {
  const quotes = morning();
  const app = seededIngestor(quotes);
  const candles = async (query: string) => (await request(app().getHttpServer()).get(`/quotes/ACME/candles?${query}`).expect(200)).body.candles;

  it('draws 1m candles from the prices of their minute, and a day-range move in the minute it was reported', async () => {
    const body = await candles('interval=1m&from=2024-09-16T03:45:00Z&to=2024-09-16T04:44:59Z');

    expect(body).toHaveLength(60);
    expect(body.map((c: { high: number; low: number; open: number }) => [c.high, c.low])).toEqual(
      quotes.map((q, i) => [i === RISE ? 110.5 : q.price, i === FALL ? 94.75 : q.price]),
    );
    // the first quote of the day: 110 / 95 were reached at some unknown time before 09:15
    expect(body[0]).toMatchObject({ time: '2024-09-16T03:45:00.000Z', high: 100, low: 100 });
    const others = body.filter((_: unknown, i: number) => i !== RISE && i !== FALL);
    expect(Math.max(...others.map((c: { high: number }) => c.high))).toBeLessThanOrEqual(102);
    expect(Math.min(...others.map((c: { low: number }) => c.low))).toBeGreaterThanOrEqual(100);
  });

  it('answers the same candles for a range that starts after the first quote of the day', async () => {
    const whole = await candles('interval=5m&from=2024-09-16T03:45:00Z&to=2024-09-16T04:44:59Z');
    const later = await candles('interval=5m&from=2024-09-16T04:25:00Z&to=2024-09-16T04:44:59Z');

    expect(later).toEqual(whole.slice(8));
    expect(later[0]).toMatchObject({ time: '2024-09-16T04:25:00.000Z', high: 110.5 });
  });

  it('spans the whole stored day range only in the 1d candle', async () => {
    const daily = await candles('interval=1d&from=2024-09-16&to=2024-09-16');
    const hourly = await candles('interval=1h&from=2024-09-16&to=2024-09-16');

    expect(daily).toEqual([{ time: '2024-09-15T18:30:00.000Z', open: 100, high: 110.5, low: 94.75, close: quotes[59].price, count: 60 }]);
    expect(hourly.map((c: { high: number; low: number }) => [c.high, c.low])).toEqual([
      [110.5, 100], // 09:15-09:59, with the new high reported at 09:55
      [102, 94.75], // 10:00-10:14, with the new low reported at 10:02
    ]);
  });
});

describe('daily candles over many days', () => {
  const DAY_MS = 86_400_000;
  const FIRST = Date.parse('2024-08-01T03:45:00.000Z');
  // 20 days of 30 quotes each, long settled (the days are a month and more ago)
  const quotes = Array.from({ length: 20 * 30 }, (_, i) =>
    quoteFactory({ symbol: 'LONGD', price: 200 + (i % 30) * 0.5, high: 215, low: 199.5, quoteTime: new Date(FIRST + Math.floor(i / 30) * DAY_MS + (i % 30) * 60_000).toISOString() }),
  );
  const app = seededIngestor(quotes);
  const api = () => request(app().getHttpServer());

  it('answers a second request from the closed-day cache with the same candles', async () => {
    const path = '/quotes/LONGD/candles?interval=1d&from=2024-07-31T18:30:00Z&to=2024-08-31';
    const first = (await api().get(path).expect(200)).body.candles;
    const second = (await api().get(path).expect(200)).body.candles;

    expect(first).toHaveLength(20);
    expect(first[0]).toEqual({ time: '2024-07-31T18:30:00.000Z', open: 200, high: 215, low: 199.5, close: 214.5, count: 30 });
    expect(second).toEqual(first);
    const metrics = (await api().get('/metrics').expect(200)).text;
    // 32 local days from 2024-08-01 to 2024-09-01 (the last in part): all read once, the 31 whole ones served from memory the second time
    expect(metrics).toMatch(/^quoteflow_candle_cache_days_total\{result="miss"[^}]*\} 33$/m);
    expect(metrics).toMatch(/^quoteflow_candle_cache_days_total\{result="hit"[^}]*\} 31$/m);
  });
});
