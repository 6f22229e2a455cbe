import { createDocumentClient } from '@app/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppProcess } from './support/app-process';
import { quoteFactory } from './support/factories';
import { FakeUpstream, type FakeAnswer } from './support/fake-upstream';
import { TEST_RAPIDAPI_KEY } from './support/secrets';
import { seedQuotes } from './support/seed';
import { eventually, testStack } from './support/test-stack';

/** B's own key: the fake upstream tells the two processes apart by it. */
const KEY_B = 'qf-test-rapidapi-key-for-instance-b';
const NOW_S = Math.floor(Date.now() / 1000);

type Json = any;

/**
 * Two ingestors as two OS processes (the built app, as `npm start` or two container replicas run
 * it) on one table and one fake upstream: whatever one learns, the other's `/status` shows, and a
 * pause one meets holds for the other. Each case waits by polling, never by timing.
 */
describe('two ingestor processes sharing one table', () => {
  const upstream = new FakeUpstream();
  let a: AppProcess;
  let b: AppProcess;
  let dynamo: DynamoDBDocumentClient | undefined;
  /** Per path prefix and key: what the fake answers instead of the default. */
  const overrides = new Map<string, FakeAnswer>();

  const status = async (app: AppProcess): Promise<Json> => (await fetch(`http://127.0.0.1:${app.port}/status`)).json();
  const trigger = async (app: AppProcess): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`http://127.0.0.1:${app.port}/ingest/trigger`, { method: 'POST' });
    return { status: res.status, body: await res.json() };
  };
  const requestsBy = (key: string, prefix: string) => upstream.requests.filter((r) => r.headers['x-rapidapi-key'] === key && r.path.startsWith(prefix)).length;

  beforeAll(async () => {
    // A's key gets Yahoo's MSFT (400.00), B's key gets Alpha Vantage's (420.00): one instrument, two sources, one per process
    upstream.respond((path) => {
      const key = String(upstream.requests.at(-1)?.headers['x-rapidapi-key'] ?? '');
      const override = [...overrides].find(([k]) => path.startsWith(k.split('|')[0]) && k.endsWith(`|${key}`));
      if (override) return override[1];
      if (path.startsWith('/market/v2/get-quotes')) {
        const result = key === TEST_RAPIDAPI_KEY ? [{ symbol: 'MSFT', regularMarketPrice: 400, regularMarketDayHigh: 405, regularMarketDayLow: 398, regularMarketTime: NOW_S }] : [];
        return { body: { quoteResponse: { result, error: null } } };
      }
      if (path.includes('function=GLOBAL_QUOTE')) {
        if (key !== KEY_B) return { body: { 'Global Quote': {} } };
        const day = new Date().toISOString().slice(0, 10);
        return { body: { 'Global Quote': { '01. symbol': 'MSFT', '03. high': '425.0000', '04. low': '418.0000', '05. price': '420.0000', '07. latest trading day': day } } };
      }
      return { status: 404, body: { message: 'no such path' } };
    });
    await upstream.start();
    const { env, config } = await testStack({
      MARKET_DATA_PROVIDER: 'yahoo-finance,alpha-vantage',
      SYMBOLS: 'MSFT',
      RAPIDAPI_BASE_URL: upstream.url,
      MARKET_HOURS: 'always',
      BACKFILL_CALLS_PER_HOUR: 'yahoo-finance:5',
    });
    dynamo = createDocumentClient(config.aws);
    // a stored MSFT quote half an hour old: the backfill has minutes to look for
    await seedQuotes(dynamo, config, [quoteFactory({ symbol: 'MSFT', series: null, price: 399, high: 405, low: 398, source: 'yahoo-finance', quoteTime: new Date((NOW_S - 1800) * 1000).toISOString() })]);
    [a, b] = await Promise.all([AppProcess.start('ingestor', { ...env, RAPIDAPI_KEY: TEST_RAPIDAPI_KEY }), AppProcess.start('ingestor', { ...env, RAPIDAPI_KEY: KEY_B })]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await upstream.stop();
    dynamo?.destroy();
  });

  it("shows a run triggered on A in B's /status", async () => {
    const run = await trigger(a);
    expect(run.status).toBe(200);

    const seen = await eventually(async () => {
      const s = await status(b);
      return s.lastRun?.runId === run.body.runId ? s : undefined;
    }, 10_000, "A's run in B's /status");

    expect(seen.lastRun).toMatchObject({ outcome: run.body.outcome, published: 1 });
    expect(seen.chains.find((c: Json) => c.chain === 'yahoo-finance').instruments).toEqual([expect.objectContaining({ symbol: 'MSFT', servedBy: 'yahoo-finance' })]);
    expect(seen.rateLimits['yahoo-finance']).toMatchObject({ limit: 500 });
  });

  it('raises the divergence of the two sources, one ingested by A and one by B, on both', async () => {
    const run = await trigger(b);
    expect(run.body).toMatchObject({ providers: { 'alpha-vantage': { published: 1 } } });

    const alerts = await Promise.all(
      [a, b].map((app) =>
        eventually(async () => {
          const { quality } = await status(app);
          return quality.alerts.find((x: Json) => x.kind === 'divergence' && x.symbol === 'MSFT');
        }, 10_000, `the divergence on ${app.pid}'s /status`),
      ),
    );

    for (const alert of alerts) expect(alert).toMatchObject({ bps: 487.8, sources: expect.arrayContaining(['yahoo-finance', 'alpha-vantage']) });
    // the run that saw the divergence begin raised it (the alert event and counter of its process)
    await b.waitForLine(/quality divergence on MSFT/);
  });

  it('holds a backfill pause met by A for B', async () => {
    overrides.set(`/stock/v3/get-chart|${TEST_RAPIDAPI_KEY}`, { status: 429, body: { message: 'Too many requests' }, headers: { 'x-ratelimit-requests-reset': '3600' } });
    const from = new Date((NOW_S - 1800) * 1000).toISOString();
    const body = JSON.stringify({ symbols: ['MSFT'], from });
    const post = (app: AppProcess) => fetch(`http://127.0.0.1:${app.port}/admin/backfill`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.json());

    const onA = await post(a);
    expect(onA.instruments).toEqual([expect.objectContaining({ symbol: 'MSFT', outcome: 'paused' })]);
    const paused = await eventually(async () => {
      const { backfill } = await status(b);
      return backfill.paused.find((p: Json) => p.provider === 'yahoo-finance');
    }, 10_000, "A's backfill pause in B's /status");
    const chartCallsOfB = requestsBy(KEY_B, '/stock/v3/get-chart');

    const onB = await post(b);

    expect(paused.message).toMatch(/HTTP 429/);
    expect(onB.instruments).toEqual([expect.objectContaining({ symbol: 'MSFT', outcome: 'paused', message: expect.stringMatching(/backfill paused until/) })]);
    expect(requestsBy(KEY_B, '/stock/v3/get-chart')).toBe(chartCallsOfB);
  });

  it("makes B's next trigger skip a provider A met a one-hour quota answer from, without calling it", async () => {
    overrides.set(`/market/v2/get-quotes|${TEST_RAPIDAPI_KEY}`, { status: 429, body: { message: 'You have exceeded the DAILY quota' }, headers: { 'x-ratelimit-requests-reset': '3600' } });
    const onA = await trigger(a);
    expect((onA.body.run ?? onA.body).errors).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'yahoo-finance', failure: 'quota' })]));
    const yahooCallsOfB = requestsBy(KEY_B, '/market/v2/get-quotes');

    const onB = await trigger(b);

    expect(requestsBy(KEY_B, '/market/v2/get-quotes')).toBe(yahooCallsOfB);
    expect(onB.body.skipped).toEqual([{ provider: 'yahoo-finance', cause: 'quota', reason: expect.stringMatching(/^quota exhausted, paused until /) }]);
    const seen = await eventually(async () => {
      const s = await status(b);
      return s.lastRun?.runId === onB.body.runId ? s : undefined;
    }, 10_000, "B's run on its /status");
    const yahoo = seen.providers.find((p: Json) => p.name === 'yahoo-finance');
    expect(yahoo.blocked).toMatchObject({ reason: 'quota', message: expect.stringMatching(/exceeded the DAILY quota/) });
    expect(Date.parse(yahoo.blocked.until) - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(yahoo.lastRun.says).toMatch(/^skipped: quota exhausted, paused until/);
  });

  it('loses none of what B shows when A is killed with SIGKILL', async () => {
    const before = await status(b);

    await a.stop('SIGKILL');

    // read again once B's one-second cache has passed: what it shows comes from the table, not from A
    const after = await eventually(async () => {
      const s = await status(b);
      return JSON.stringify(s.recentRuns) === JSON.stringify(before.recentRuns) && s.backfill.paused.length === before.backfill.paused.length ? s : undefined;
    }, 10_000, "B's /status after A's end");
    expect(after.recentRuns).toEqual(before.recentRuns);
    expect(after.lastSuccessAt).toBe(before.lastSuccessAt);
    expect(after.providers.map((p: Json) => p.blocked)).toEqual(before.providers.map((p: Json) => p.blocked));
    expect(after.quality.alerts).toEqual(before.quality.alerts);
    expect(after.backfill.paused).toEqual(before.backfill.paused);
    expect(after.backfill.lastPass).toEqual(before.backfill.lastPass);
    expect(after.chains).toEqual(before.chains);
  });
});
