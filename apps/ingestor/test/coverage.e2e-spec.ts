import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { quoteFactory } from '../../../test/support/factories';
import { FakeUpstream } from '../../../test/support/fake-upstream';
import { seedQuotes } from '../../../test/support/seed';
import { TEST_RAPIDAPI_KEY } from '../../../test/support/secrets';
import { testConfig } from '../../../test/support/test-stack';
import { startIngestor } from './ingestor-app';

/** Monday 2026-11-23 on NSE: 375 expected minutes, 09:15-15:30 IST = 03:45-10:00 UTC. */
const OPEN = Date.parse('2026-11-23T03:45:00.000Z');
const at = (hhmm: string, seconds = 20) => new Date(Date.parse(`2026-11-23T${hhmm}:00.000Z`) + seconds * 1000).toISOString();
const MISSING = ['05:00', '07:15'];
/** No new quote stored in this minute: the run of the minute found TCS with the quote time of the minute before (halted). */
const UNCHANGED = '06:30';
/** The next day, an NSE holiday: "now" for the report, whose default day is then the 23rd. */
const HOLIDAY = new Date('2026-11-24T06:00:00.000Z');

/** One latest-stock-price row of TCS (EQ) stamped `quoteTime` (the upstream writes IST without a zone). */
function tcsRow(quoteTime: string) {
  const ist = new Date(Date.parse(quoteTime) + 330 * 60_000).toISOString();
  const lastUpdateTime = `${Number(ist.slice(8, 10))}-Nov-2026 ${ist.slice(11, 19)}`;
  return { symbol: 'TCS', identifier: 'TCSEQN', lastPrice: 4100.5, dayHigh: 4150, dayLow: 4050, lastUpdateTime };
}

describe('completeness of a trading day (GET /quotes/:symbol/coverage, /status, /metrics)', () => {
  const upstream = new FakeUpstream();
  let app: INestApplication;
  let config: Awaited<ReturnType<typeof testConfig>>;
  let now = new Date(at('06:29', 30));
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    await upstream.respond({ body: [tcsRow(at('06:29'))] }).start();
    config = await testConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price', RAPIDAPI_KEY: TEST_RAPIDAPI_KEY, RAPIDAPI_BASE_URL: upstream.url });
    app = await startIngestor(config, { clock: () => now });
    const minutes = Array.from({ length: 375 }, (_, i) => new Date(OPEN + i * 60_000).toISOString().slice(11, 16));
    // TCS: one quote a minute, as the processor stores them, but for two missing minutes and the halted one
    const tcs = minutes.filter((m) => !MISSING.includes(m) && m !== UNCHANGED).map((m) => quoteFactory({ symbol: 'TCS', quoteTime: at(m) }));
    const infy = minutes.map((m) => quoteFactory({ symbol: 'INFY', quoteTime: at(m, 31) }));
    await seedQuotes(app.get(DynamoDBDocumentClient), config, [...tcs, ...infy]);

    // two runs a minute apart see the same TCS quote: the second one records it as unchanged
    await api().post('/ingest/trigger').expect(200);
    now = new Date(at(UNCHANGED, 30));
    const second = await api().post('/ingest/trigger').expect(200);
    expect(second.body).toMatchObject({ published: 0, unchanged: 1 });
    now = HOLIDAY;
  });

  afterAll(async () => {
    await app?.close();
    await upstream.stop();
  });

  it('names exactly the two missing minutes as gaps, and counts the unchanged minute as covered', async () => {
    const res = await api().get('/quotes/tcs/coverage?date=2026-11-23').expect(200);

    expect(res.body).toEqual({
      symbol: 'TCS',
      series: 'EQ',
      source: 'latest-stock-price',
      date: '2026-11-23',
      exchange: 'NSE',
      timeZone: 'Asia/Kolkata',
      schedule: 'NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)',
      sessions: [{ open: '2026-11-23T03:45:00.000Z', close: '2026-11-23T10:00:00.000Z' }],
      expected: 375,
      stored: 372,
      unchanged: 1,
      covered: 373,
      ratio: 0.9947,
      gaps: [
        { from: '2026-11-23T05:00:00.000Z', to: '2026-11-23T05:01:00.000Z', minutes: 1 },
        { from: '2026-11-23T07:15:00.000Z', to: '2026-11-23T07:16:00.000Z', minutes: 1 },
      ],
      complete: true,
      holiday: null,
    });
  });

  it('reports the last trading day by default: on the holiday, the day before', async () => {
    const res = await api().get('/quotes/TCS/coverage').expect(200);

    expect(res.body).toMatchObject({ date: '2026-11-23', covered: 373, gaps: [{ from: '2026-11-23T05:00:00.000Z' }, { from: '2026-11-23T07:15:00.000Z' }] });
  });

  it('expects nothing on the holiday itself, and says which', async () => {
    const res = await api().get('/quotes/TCS/coverage?date=2026-11-24').expect(200);

    expect(res.body).toMatchObject({ expected: 0, covered: 0, ratio: null, gaps: [], sessions: [], holiday: 'Guru Nanak Jayanti / Prakash Gurpurb Sri Guru Nanak Dev' });
  });

  it.each([
    ['/quotes/TCS/coverage?date=2026-02-30', /date must be a calendar date written YYYY-MM-DD/],
    ['/quotes/TCS/coverage?date=yesterday', /date must be a calendar date written YYYY-MM-DD/],
    ['/quotes/TCS/coverage?date=2026-11-23T00:00:00Z', /date must be a calendar date/],
    ['/quotes/TCS/coverage?colour=red', /property colour should not exist/],
  ])('answers 400 for %s', async (path, message) => {
    const res = await api().get(path).expect(400);

    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect([res.body.message].flat().join('; ')).toMatch(message);
  });

  it('answers 404 for a symbol with nothing stored', async () => {
    const res = await api().get('/quotes/NOPE/coverage').expect(404);

    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no quote stored for NOPE' });
  });

  it('sums up every instrument\'s last trading day in /status, the least covered named', async () => {
    const { coverage } = (await api().get('/status').expect(200)).body;

    expect(coverage).toMatchObject({
      computedAt: HOLIDAY.toISOString(),
      refreshEveryMinutes: 5,
      instruments: 2,
      notJudged: 0,
      expected: 750,
      covered: 748,
      ratio: 0.9973,
      incomplete: [{ symbol: 'TCS', series: 'EQ', date: '2026-11-23', expected: 375, covered: 373, unchanged: 1, ratio: 0.9947, gaps: 2, missing: 2 }],
    });
  });

  it('exports the share per instrument as quoteflow_coverage_ratio', async () => {
    const metrics = (await api().get('/metrics').expect(200)).text;

    expect(metrics).toMatch(/^quoteflow_coverage_ratio\{(?=[^}]*symbol="TCS")(?=[^}]*series="EQ")[^}]*\} 0\.9947$/m);
    expect(metrics).toMatch(/^quoteflow_coverage_ratio\{(?=[^}]*symbol="INFY")(?=[^}]*series="EQ")[^}]*\} 1$/m);
  });

  // last: the /status summary above is computed (and kept for minutes) before this instrument exists
  it('expects the minutes of a day only from the instrument\'s first stored quote, and says so', async () => {
    const hour = Array.from({ length: 60 }, (_, i) => new Date(Date.parse('2026-11-23T09:00:00.000Z') + i * 60_000).toISOString().slice(11, 16));
    await seedQuotes(app.get(DynamoDBDocumentClient), config, hour.map((m) => quoteFactory({ symbol: 'WIPRO', quoteTime: at(m) })));

    const res = await api().get('/quotes/WIPRO/coverage?date=2026-11-23').expect(200);

    expect(res.body).toMatchObject({ expected: 60, covered: 60, ratio: 1, gaps: [], countedFrom: { at: '2026-11-23T09:00:00.000Z', why: 'first stored quote of WIPRO (2026-11-23T09:00:20.000Z)' } });
  });
});
