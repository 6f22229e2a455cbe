import request from 'supertest';
import { AppProcess } from './support/app-process';
import { FakeUpstream } from './support/fake-upstream';
import { upstreamFixture } from './support/fixtures';
import { TEST_ADMIN_API_KEY, TEST_RAPIDAPI_KEY } from './support/secrets';
import { eventually, testStack } from './support/test-stack';

type LogLine = Record<string, unknown> & { level: string; msg: string; context?: string };

/** The built apps as `npm start` runs them, with production's JSON logs, read line by line. */
describe('structured logs of the running apps', () => {
  const upstream = new FakeUpstream();
  let ingestor: AppProcess;
  let processor: AppProcess;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    // the gateway's error text repeats the key it was sent: the ingestor puts that text in its log
    await upstream.respond({ status: 401, body: { message: `Invalid API key ${TEST_RAPIDAPI_KEY}. Go to https://docs.rapidapi.com` } }).start();
    const { env } = await testStack({
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      MARKET_DATA_PROVIDER: 'latest-stock-price',
      MARKET_HOURS: 'always',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      ADMIN_API_KEY: TEST_ADMIN_API_KEY,
      UPSTREAM_MAX_ATTEMPTS: '1',
    });
    [ingestor, processor] = await Promise.all([AppProcess.start('ingestor', env), AppProcess.start('processor', env)]);
    api = request(`http://127.0.0.1:${ingestor.port}`);
  });

  afterAll(async () => {
    await Promise.all([ingestor?.stop(), processor?.stop()]);
    await upstream.stop();
  });

  const parsed = (app: AppProcess): LogLine[] => app.lines.map((line) => JSON.parse(line) as LogLine);

  it('writes one JSON object per line, carrying runId, batchId and requestId, and never a secret', async () => {
    await api.post('/ingest/trigger').expect(401);
    await api.post('/ingest/trigger').set('x-api-key', 'not-the-admin-key-at-all').expect(401);
    const refused = await api.post('/ingest/trigger').set('x-api-key', TEST_ADMIN_API_KEY).expect(502);
    upstream.respond({ body: upstreamFixture('latest-stock-price/any.sample.json') });
    const run = await api.post('/ingest/trigger').set('x-api-key', TEST_ADMIN_API_KEY).set('x-request-id', 'trigger-obs-1').expect(200);
    await api
      .get('/quotes/NOSUCH')
      .set('x-request-id', 'req-obs-1')
      .set('x-rapidapi-key', TEST_RAPIDAPI_KEY)
      .set('authorization', `Bearer ${TEST_ADMIN_API_KEY}`)
      .expect(404);
    const status = await api.get('/status').expect(200);
    await eventually(async () => (processor.lines.some((l) => /batch of \d+: stored=\d+/.test(l)) ? true : undefined));
    await Promise.all([ingestor.stop(), processor.stop()]);

    const ingestorLog = parsed(ingestor); // throws on any line that is not JSON
    const processorLog = parsed(processor);
    for (const line of [...ingestorLog, ...processorLog]) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    const all = [...ingestor.lines, ...processor.lines].join('\n');
    expect(all).not.toContain(TEST_RAPIDAPI_KEY);
    expect(all).not.toContain(TEST_ADMIN_API_KEY);
    // the gateway's text is kept for people, with the key masked
    expect(refused.body.message).toContain('Invalid API key [REDACTED]');
    expect(JSON.stringify(status.body)).toContain('Invalid API key [REDACTED]');
    expect(JSON.stringify([refused.body, status.body])).not.toContain(TEST_RAPIDAPI_KEY);

    const runLine = ingestorLog.find((l) => l.context === 'IngestService' && l.msg.startsWith(`run ${run.body.runId}`));
    expect(runLine).toMatchObject({ runId: run.body.runId, requestId: 'trigger-obs-1', app: 'ingestor' });
    const failedRun = ingestorLog.find((l) => l.context === 'IngestService' && l.msg.includes('HTTP 401'));
    expect(failedRun?.msg).toContain('Invalid API key [REDACTED]');
    expect(failedRun?.runId).toEqual(expect.any(String));

    const requestLine = ingestorLog.find((l) => l.requestId === 'req-obs-1' && l.req);
    expect(requestLine).toMatchObject({
      level: 'info',
      res: { statusCode: 404 },
      req: { headers: { 'x-rapidapi-key': '[REDACTED]', authorization: '[REDACTED]' } },
    });
    expect(requestLine?.res).toEqual({ statusCode: 404 });
    const wrongKey = ingestorLog.find((l) => (l.req as { headers?: Record<string, string> } | undefined)?.headers?.['x-api-key']);
    expect((wrongKey?.req as { headers: Record<string, string> }).headers['x-api-key']).toBe('[REDACTED]');

    const batch = processorLog.find((l) => /^batch of \d+/.test(l.msg));
    expect(batch).toMatchObject({ app: 'processor', batchId: expect.any(String) });

    const effective = ingestorLog.find((l) => l.msg.startsWith('effective configuration'));
    expect(effective?.config).toMatchObject({ http: { adminApiKey: '[set]' }, upstream: { rapidApiKey: '[set]' } });
  });
});

describe('start-up with a bad configuration', () => {
  it.each(['ingestor', 'processor'] as const)('the %s stops with a message naming each bad variable, without a stack', async (name) => {
    const { env } = await testStack();

    const app = await AppProcess.launch(name, { ...env, INGEST_CRON: 'every minute', PORT: '99999', PROCESSOR_PORT: 'abc' });

    await expect(app.exited).resolves.toEqual({ code: 1, signal: null });
    const output = app.lines.join('\n');
    expect(output).toContain(`${name} cannot start. Invalid configuration:`);
    expect(output).toMatch(/- PORT: must be an integer between 1 and 65535/);
    expect(output).toMatch(/- PROCESSOR_PORT: must be an integer between 1 and 65535/);
    expect(output).toMatch(/- INGEST_CRON: must be a cron expression/);
    expect(output).not.toMatch(/^\s+at /m);
  });
});
