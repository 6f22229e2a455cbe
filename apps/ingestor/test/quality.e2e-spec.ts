import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { FakeUpstream } from '../../../test/support/fake-upstream';
import { TEST_RAPIDAPI_KEY } from '../../../test/support/secrets';
import { SseClient } from '../../../test/support/sse-client';
import { eventually, testConfig } from '../../../test/support/test-stack';
import { listenOnFreePort, startIngestor } from './ingestor-app';

/** Both providers quote MSFT at the close of 2026-12-01 (21:00 UTC): Yahoo 400.00, Alpha Vantage 420.00. */
const CLOSE_EPOCH = Date.parse('2026-12-01T21:00:00.000Z') / 1000;

describe('cross-provider quality: two providers far apart on one instrument', () => {
  const upstream = new FakeUpstream();
  let app: INestApplication;
  let sse: SseClient;

  beforeAll(async () => {
    upstream.respond((path) => {
      if (path.startsWith('/market/v2/get-quotes')) {
        return { body: { quoteResponse: { result: [{ symbol: 'MSFT', regularMarketPrice: 400, regularMarketDayHigh: 405, regularMarketDayLow: 398, regularMarketTime: CLOSE_EPOCH }], error: null } } };
      }
      if (path.includes('function=GLOBAL_QUOTE')) {
        return { body: { 'Global Quote': { '01. symbol': 'MSFT', '03. high': '425.0000', '04. low': '418.0000', '05. price': '420.0000', '07. latest trading day': '2026-12-01' } } };
      }
      return { status: 404, body: { message: 'no such path' } };
    });
    await upstream.start();
    const config = await testConfig({ MARKET_DATA_PROVIDER: 'yahoo-finance,alpha-vantage', SYMBOLS: 'MSFT', RAPIDAPI_KEY: TEST_RAPIDAPI_KEY, RAPIDAPI_BASE_URL: upstream.url });
    app = await startIngestor(config);
    const port = await listenOnFreePort(app);
    sse = await SseClient.connect(`http://127.0.0.1:${port}/quotes/stream?symbols=MSFT`);
    const run = await request(app.getHttpServer()).post('/ingest/trigger').expect(200);
    expect(run.body).toMatchObject({ published: 2 });
  });

  afterAll(async () => {
    sse?.close();
    await app?.close();
    await upstream.stop();
  });

  it('records the divergence in basis points and the lag, and flags both sources in /status', async () => {
    const { quality } = (await request(app.getHttpServer()).get('/status').expect(200)).body;

    expect(quality.instruments).toEqual([
      expect.objectContaining({
        symbol: 'MSFT',
        divergenceBps: 487.8,
        lagSeconds: 0,
        alerts: [expect.objectContaining({ kind: 'divergence', symbol: 'MSFT', bps: 487.8 })],
      }),
    ]);
    expect(quality.instruments[0].sources.map((s: { source: string }) => s.source).sort()).toEqual(['alpha-vantage', 'yahoo-finance']);
  });

  it('exports the divergence and counts the alert as metrics', async () => {
    const metrics = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;

    expect(metrics).toMatch(/^quoteflow_quality_divergence_bps\{symbol="MSFT"[^}]*\} 487\.8$/m);
    expect(metrics).toMatch(/^quoteflow_quality_alerts_total\{kind="divergence"[^}]*\} 1$/m);
  });

  it('pushes the alert to stream clients as event: alert', async () => {
    const alert = await eventually(async () => sse.events.find((e) => e.type === 'alert'), 10_000, 'an alert event');

    expect(JSON.parse(alert.data)).toMatchObject({ kind: 'divergence', symbol: 'MSFT', bps: 487.8 });
  });
});
