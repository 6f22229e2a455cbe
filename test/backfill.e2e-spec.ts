import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuoteflowConfig, StoredQuote } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startProcessor } from '../apps/processor/test/processor-app';
import { FakeUpstream } from './support/fake-upstream';
import { TEST_RAPIDAPI_KEY } from './support/secrets';
import { step } from './support/scenario';
import { eventually, storedHistory, testConfig } from './support/test-stack';
import { startIngestor } from '../apps/ingestor/test/ingestor-app';

/** Tuesday 2026-11-17, New York open (14:30-21:00 UTC). */
const minute = (hhmm: string) => Date.parse(`2026-11-17T${hhmm}:00.000Z`);
const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;
/** The ingestor runs 15:00-15:04, is down 15:05-15:14 (ten minutes), and starts again at 15:15. */
const LIVE = [0, 1, 2, 3, 4].map((i) => minute('15:00') + i * MINUTE);
const DOWN = Array.from({ length: 10 }, (_, i) => minute('15:05') + i * MINUTE);
const ADMIN_KEY = 'backfill-admin-key-0123456789';

/** The close of the 1-minute bar starting at `ms`: a price with decimals to check exactness. */
const closeOf = (ms: number) => Number((410 + (ms - minute('14:30')) / MINUTE / 100 + 0.005).toFixed(3));

/** A Yahoo Finance chart of MSFT's 1m bars from 14:30 to `until` (exclusive). */
function chart(until: number) {
  const starts: number[] = [];
  for (let t = minute('14:30'); t < until; t += MINUTE) starts.push(t);
  return {
    chart: {
      result: [
        {
          meta: { symbol: 'MSFT', exchangeTimezoneName: 'America/New_York', dataGranularity: '1m' },
          timestamp: starts.map((t) => t / 1000),
          indicators: { quote: [{ close: starts.map(closeOf), high: starts.map((t) => closeOf(t) + 0.25), low: starts.map((t) => closeOf(t) - 0.25) }] },
        },
      ],
      error: null,
    },
  };
}

/** A live get-quotes answer: MSFT traded 7 s after the start of the current simulated minute. */
function liveQuote(now: number) {
  const at = Math.floor(now / MINUTE) * MINUTE + 7_000;
  return { quoteResponse: { result: [{ symbol: 'MSFT', regularMarketPrice: 412.5, regularMarketDayHigh: 415, regularMarketDayLow: 405, regularMarketTime: at / 1000 }], error: null } };
}

describe('backfill from the history endpoint after the ingestor was down', () => {
  const upstream = new FakeUpstream();
  let config: QuoteflowConfig;
  let processor: INestApplication;
  let ingestor: INestApplication | null = null;
  let now = LIVE[0] + 30_000;
  let chartAnswer: 'bars' | 'quota' = 'bars';
  const chartCalls = () => upstream.requests.filter((r) => r.path.startsWith('/stock/v3/get-chart')).length;
  const api = () => request(ingestor!.getHttpServer());
  const restart = async () => {
    await ingestor?.close();
    ingestor = await startIngestor(config, { clock: () => new Date(now) });
  };
  const passes = async (count: number) =>
    eventually(async () => ((await api().get('/status').expect(200)).body.backfill.lastPass?.startedAt === iso(now) ? true : undefined), 20_000, `start-up pass ${count}`);
  const stored = async () => storedHistory(ingestor!.get(DynamoDBDocumentClient), config, 'MSFT', null);

  beforeAll(async () => {
    upstream.respond((path) => {
      if (path.startsWith('/market/v2/get-quotes')) return { body: liveQuote(now) };
      if (path.startsWith('/stock/v3/get-chart')) {
        return chartAnswer === 'bars' ? { body: chart(minute('15:20')) } : { status: 429, body: { message: 'You have exceeded the rate limit per hour for your plan' }, headers: { 'retry-after': '3600' } };
      }
      return { status: 404, body: { message: 'no such path' } };
    });
    await upstream.start();
    config = await testConfig({
      MARKET_DATA_PROVIDER: 'yahoo-finance',
      SYMBOLS: 'MSFT',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      BACKFILL_ON_START: 'true',
      BACKFILL_CALLS_PER_HOUR: 'yahoo-finance:2',
      ADMIN_API_KEY: ADMIN_KEY,
    });
    processor = await startProcessor(config);
    await restart();
    for (const m of LIVE) {
      now = m + 30_000;
      await api().post('/ingest/trigger').set('x-api-key', ADMIN_KEY).expect(200);
    }
    await eventually(async () => ((await stored()).length === LIVE.length ? true : undefined), 20_000, 'live quotes stored');
  });

  afterAll(async () => {
    await ingestor?.close();
    await processor?.close();
    await upstream.stop();
  });

  it('fills exactly the minutes it was down, once (the watermark moves past the gap), and pauses on a 429 while the live run goes on', async () => {
    await step('fills exactly the ten minutes it was down, with one history call, labelled as backfill', async () => {
      expect(chartCalls()).toBe(0); // the first start found nothing stored: nothing was missing

      now = minute('15:15') + 20_000;
      await restart();
      await passes(1);

      const items = await eventually(async () => {
        const all = await stored();
        return all.filter((q) => q.origin === 'backfill').length >= DOWN.length ? all : undefined;
      }, 20_000, 'backfilled bars stored');
      const backfilled = items.filter((q) => q.origin === 'backfill').sort((a, b) => a.quoteTime.localeCompare(b.quoteTime));
      expect(backfilled.map((q) => q.quoteTime)).toEqual(DOWN.map(iso));
      expect(backfilled[0]).toMatchObject<Partial<StoredQuote>>({ symbol: 'MSFT', source: 'yahoo-finance', interval: '1m', price: closeOf(DOWN[0]), high: closeOf(DOWN[0]) + 0.25 });
      // the live quotes are untouched, and no bar was added beside them
      const live = items.filter((q) => q.origin !== 'backfill');
      expect(live.map((q) => q.quoteTime)).toEqual(LIVE.map((m) => iso(m + 7_000)).reverse());
      expect(chartCalls()).toBe(1);

      const { backfill } = (await api().get('/status').expect(200)).body;
      expect(backfill.lastPass).toMatchObject({ trigger: 'startup', calls: { 'yahoo-finance': 1 }, published: 10 });
      expect(backfill.lastPass.instruments).toEqual([
        expect.objectContaining({ symbol: 'MSFT', outcome: 'filled', missingMinutes: 10, asked: { from: iso(DOWN[0]), to: iso(minute('15:15')) } }),
      ]);
      expect(backfill.budget).toEqual([{ provider: 'yahoo-finance', callsPerHour: 2, spentThisHour: 1 }]);
      const metrics = (await api().get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^quoteflow_backfill_quotes_total\{provider="yahoo-finance"[^}]*\} 10$/m);
      expect(metrics).toMatch(/^quoteflow_backfill_calls_total\{provider="yahoo-finance",outcome="ok"[^}]*\} 1$/m);
    });

    await step('makes no further history call on the next restart: the watermark has moved past the gap', async () => {
      now = minute('15:15') + 30_000;
      await api().post('/ingest/trigger').set('x-api-key', ADMIN_KEY).expect(200);
      await eventually(async () => ((await stored()).some((q) => q.quoteTime === iso(minute('15:15') + 7_000)) ? true : undefined), 20_000, 'live 15:15 stored');

      now = minute('15:16') + 20_000;
      await restart();
      await passes(2);

      const { lastPass } = (await api().get('/status').expect(200)).body.backfill;
      expect(lastPass.instruments).toEqual([expect.objectContaining({ symbol: 'MSFT', outcome: 'nothing_missing', missingMinutes: 0, asked: null })]);
      expect(chartCalls()).toBe(1);
    });

    await step('pauses backfill on a 429 from the history endpoint, while the live run goes on', async () => {
      chartAnswer = 'quota';
      // down again 15:17-15:19
      now = minute('15:20') + 20_000;
      await restart();
      await passes(3);

      const status = (await api().get('/status').expect(200)).body.backfill;
      expect(status.lastPass.instruments).toEqual([expect.objectContaining({ symbol: 'MSFT', outcome: 'paused', missingMinutes: 4 })]);
      expect(status.paused).toEqual([expect.objectContaining({ provider: 'yahoo-finance', until: iso(now + 3_600_000) })]);
      expect(chartCalls()).toBe(2);

      const live = await api().post('/ingest/trigger').set('x-api-key', ADMIN_KEY).expect(200);
      expect(live.body).toMatchObject({ outcome: 'ok', published: 1 });

      // on demand too, the pause holds: no call is made
      const asked = await api().post('/admin/backfill').set('x-api-key', ADMIN_KEY).send({ symbols: ['msft'], from: iso(minute('15:00')) }).expect(200);
      expect(asked.body.instruments).toEqual([expect.objectContaining({ symbol: 'MSFT', outcome: 'paused' })]);
      expect(chartCalls()).toBe(2);
    });
  }, 120_000);

  it('guards POST /admin/backfill with the admin key and answers 400 for a bad request', async () => {
    await api().post('/admin/backfill').send({ from: '2026-11-17' }).expect(401);
    const bad = await api().post('/admin/backfill').set('x-api-key', ADMIN_KEY).send({ from: 'yesterday' }).expect(400);
    expect([bad.body.message].flat().join('; ')).toMatch(/from must be an ISO-8601 date/);
    const backwards = await api().post('/admin/backfill').set('x-api-key', ADMIN_KEY).send({ from: '2026-11-17T16:00:00Z', to: '2026-11-17T15:00:00Z' }).expect(400);
    expect(backwards.body.message).toBe('to must be later than from');
    const symbols = await api().post('/admin/backfill').set('x-api-key', ADMIN_KEY).send({ from: '2026-11-17', symbols: ['not a symbol!'] }).expect(400);
    expect([symbols.body.message].flat().join('; ')).toMatch(/symbols must be comma-separated symbols/);
  });
});
