import type { QuoteflowConfig } from '@app/common';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startIngestor } from '../apps/ingestor/test/ingestor-app';
import { startProcessor } from '../apps/processor/test/processor-app';
import { FakeUpstream, type FakeAnswer } from './support/fake-upstream';
import { upstreamFixture } from './support/fixtures';
import { TEST_RAPIDAPI_KEY } from './support/secrets';
import { step } from './support/scenario';
import { queueDrained, storedHistory, testConfig } from './support/test-stack';

const YAHOO_PATH = '/market/v2/get-quotes';
const msft = upstreamFixture('alpha-vantage/msft.json') as { 'Global Quote': Record<string, string> };
/** alpha-vantage's GLOBAL_QUOTE per symbol: the MSFT fixture, and AAPL in the same shape. */
const alphaBodies: Record<string, unknown> = {
  MSFT: msft,
  AAPL: { 'Global Quote': { ...msft['Global Quote'], '01. symbol': 'AAPL', '03. high': '217.2200', '04. low': '213.9200', '05. price': '216.3000' } },
};

/**
 * yahoo-finance then alpha-vantage for US stocks, both answered by one fake on 127.0.0.1 (there
 * is one RAPIDAPI_BASE_URL; each provider's path tells which upstream is asked).
 */
describe('failover from yahoo-finance to alpha-vantage against fake upstreams', () => {
  const upstream = new FakeUpstream();
  let yahoo: FakeAnswer = { status: 500, body: { message: 'Internal error' } };
  let config: QuoteflowConfig;
  let app: INestApplication;
  let processor: INestApplication;
  const api = () => request(app.getHttpServer());
  const asked = (prefix: string) => upstream.requests.filter((r) => r.path.startsWith(prefix)).length;
  /** Every stored record of a US stock, newest first, read from the table (the API caches latest reads for a moment). */
  const stored = async (symbol: string) =>
    (await storedHistory(processor.get(DynamoDBDocumentClient), config, symbol, null)).map(({ source, price, quoteTime }) => ({ source, price, quoteTime }));

  beforeAll(async () => {
    await upstream.start();
    upstream.respond((path) => (path.startsWith(YAHOO_PATH) ? yahoo : { body: alphaBodies[new URL(path, 'http://x').searchParams.get('symbol') ?? ''] }));
    config = await testConfig({
      MARKET_DATA_PROVIDER: 'yahoo-finance>alpha-vantage',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      SYMBOLS: 'AAPL,MSFT',
      UPSTREAM_TIMEOUT_MS: '300',
      UPSTREAM_MAX_ATTEMPTS: '1',
    });
    processor = await startProcessor(config);
    app = await startIngestor(config);
  });

  afterAll(async () => {
    await app?.close();
    await processor?.close();
    await upstream.stop();
  });

  it('serves a run from alpha-vantage while yahoo-finance answers 500, then from yahoo-finance again once it has recovered', async () => {
    await step('serves a run from alpha-vantage while yahoo-finance answers 500, and the stored quotes say so', async () => {
      const run = await api().post('/ingest/trigger').expect(200);

      expect(asked(YAHOO_PATH)).toBe(1);
      expect(asked('/query')).toBe(2);
      expect(run.body).toMatchObject({
        outcome: 'partial',
        published: 2,
        providers: { 'yahoo-finance': { outcome: 'failed' }, 'alpha-vantage': { outcome: 'ok', published: 2 } },
        chains: [
          {
            chain: 'yahoo-finance>alpha-vantage',
            servedBy: 'alpha-vantage',
            failedOver: [{ from: 'yahoo-finance', to: 'alpha-vantage', cause: 'unavailable', reason: expect.stringMatching(/HTTP 500: Internal error/) }],
          },
        ],
      });
      await queueDrained(processor.get(SQSClient), config);
      await expect(stored('AAPL')).resolves.toEqual([{ source: 'alpha-vantage', price: 216.3, quoteTime: '2024-09-13T20:00:00.000Z' }]);
      await expect(stored('MSFT')).resolves.toEqual([{ source: 'alpha-vantage', price: 430.59, quoteTime: '2024-09-13T20:00:00.000Z' }]);
      await api().get('/quotes/AAPL').expect(200, /"source":"alpha-vantage"/);
      const { body: status } = await api().get('/status').expect(200);
      expect(status.chains).toEqual([
        expect.objectContaining({
          chain: 'yahoo-finance>alpha-vantage',
          order: ['yahoo-finance', 'alpha-vantage'],
          servedBy: 'alpha-vantage',
          instruments: [expect.objectContaining({ symbol: 'AAPL', servedBy: 'alpha-vantage' }), expect.objectContaining({ symbol: 'MSFT', servedBy: 'alpha-vantage' })],
        }),
      ]);
      const metrics = (await api().get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^quoteflow_ingest_failovers_total\{from="yahoo-finance",to="alpha-vantage"(,app="ingestor")?\} 1$/m);
    });

    await step('is served by yahoo-finance again on the next run once it has recovered', async () => {
      yahoo = { body: upstreamFixture('yahoo-finance/get-quotes.sample.json') };
      const alphaCalls = asked('/query');

      const run = await api().post('/ingest/trigger').expect(200);

      expect(asked('/query')).toBe(alphaCalls);
      expect(run.body.chains).toEqual([expect.objectContaining({ servedBy: 'yahoo-finance', failedOver: [] })]);
      expect(run.body.providers['alpha-vantage']).toMatchObject({ outcome: 'skipped', reason: 'standby: yahoo-finance served its chain' });
      await queueDrained(processor.get(SQSClient), config);
      // yahoo-finance's AAPL is a second newer than alpha-vantage's close; it has no MSFT row
      await expect(stored('AAPL')).resolves.toEqual([
        { source: 'yahoo-finance', price: 216.32, quoteTime: '2024-09-13T20:00:01.000Z' },
        { source: 'alpha-vantage', price: 216.3, quoteTime: '2024-09-13T20:00:00.000Z' },
      ]);
      await expect(stored('MSFT')).resolves.toEqual([expect.objectContaining({ source: 'alpha-vantage' })]);
      const { body: status } = await api().get('/status').expect(200);
      expect(status.chains[0].servedBy).toBe('yahoo-finance');
      // the yahoo-finance fixture answers ^GSPC too
      expect(status.chains[0].instruments.map((i: { symbol: string; servedBy: string }) => `${i.symbol}:${i.servedBy}`)).toEqual([
        '^GSPC:yahoo-finance',
        'AAPL:yahoo-finance',
        'MSFT:alpha-vantage',
      ]);
    });
  }, 120_000);
});
