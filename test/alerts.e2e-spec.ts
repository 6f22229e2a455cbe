import { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from '@app/common/observability/alerts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { prometheusRules, renderPrometheusRules } from '../tools/alerts/prometheus-rules';
import { AppProcess } from './support/app-process';
import { FakeUpstream } from './support/fake-upstream';
import { upstreamFixture } from './support/fixtures';
import { requirePrometheusBinary } from './support/prometheus-binaries';
import { scrapeMetrics } from './support/prometheus';
import { PrometheusServer } from './support/prometheus-server';
import { seriesNamedIn } from './support/promql-names';
import { TEST_RAPIDAPI_KEY } from './support/secrets';
import { eventually, testStack } from './support/test-stack';

const prometheus = requirePrometheusBinary('prometheus', 'alerts against a real Prometheus');

/** The shipped rules with every time scaled from minutes down to seconds, so the suite takes seconds. */
const SCALED: AlertThresholds = {
  ...DEFAULT_ALERT_THRESHOLDS,
  staleFeedSeconds: 4,
  coverageForSeconds: 2,
  failedRunsWindowSeconds: 10,
  pausedForSeconds: 2,
  processorWindowSeconds: 10,
  receivePausedForSeconds: 2,
  pendingSeconds: 1,
};

/**
 * The built apps as `npm start` runs them, scraped by a real Prometheus (Debian's package) that
 * evaluates the shipped rules at second scale: the feed stops and the stale-feed alert fires.
 */
(prometheus ? describe : describe.skip)('alerts on a real Prometheus scraping the running apps', () => {
  const upstream = new FakeUpstream();
  let ingestor: AppProcess;
  let processor: AppProcess;
  let server: PrometheusServer;

  beforeAll(async () => {
    await upstream.respond({ body: upstreamFixture('latest-stock-price/any.sample.json') }).start();
    const { env } = await testStack({
      MARKET_DATA_PROVIDER: 'latest-stock-price',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      INGEST_CRON: '* * * * * *',
      INGEST_ON_START: 'true',
      // a market open all the time: the NSE calendar must not decide when this suite can pass
      MARKET_HOURS: 'always',
      UPSTREAM_MAX_ATTEMPTS: '1',
    });
    [ingestor, processor] = await Promise.all([AppProcess.start('ingestor', env), AppProcess.start('processor', env)]);
    server = await PrometheusServer.start(prometheus!, {
      jobs: { 'quoteflow-ingestor': [`127.0.0.1:${ingestor.port}`], 'quoteflow-processor': [`127.0.0.1:${processor.port}`] },
      rules: renderPrometheusRules(SCALED),
      intervalSeconds: 1,
    });
  });

  afterAll(async () => {
    await Promise.all([ingestor?.stop(), processor?.stop(), server?.stop()]);
    await upstream.stop();
  });

  it('exposes on /metrics of the apps every series a rule or the Grafana dashboard reads', async () => {
    const pages = (await Promise.all([scrapeMetrics(ingestor.port), scrapeMetrics(processor.port)])).join('\n');
    const ruleSeries = seriesNamedIn(prometheusRules(DEFAULT_ALERT_THRESHOLDS).groups.flatMap((g) => g.rules.map((r) => r.expr)));
    const dashboard = JSON.parse(readFileSync(resolve(__dirname, '../deploy/grafana/dashboards/quoteflow.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const dashboardSeries = seriesNamedIn(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)));

    expect(ruleSeries).toEqual(expect.arrayContaining(['quoteflow_market_open', 'quoteflow_ingest_last_success_timestamp_seconds', 'quoteflow_receive_paused']));
    expect(dashboardSeries).toEqual(expect.arrayContaining(['quoteflow_pipeline_lag_seconds', 'quoteflow_coverage_ratio']));
    expect([...ruleSeries, ...dashboardSeries].filter((name) => !new RegExp(`^# TYPE ${name} `, 'm').test(pages))).toEqual([]);
  });

  it('keeps the stale-feed alert quiet while runs are good, and fires it once the upstream answers 500', async () => {
    // Prometheus has scraped both apps and judged the rules on a good run
    await eventually(async () => ((await server.query('up == 1')).length === 2 ? true : undefined), 30_000, 'both apps scraped');
    const lastGood = await eventually(async () => {
      const [sample] = await server.query('quoteflow:ingest_last_good:timestamp_seconds');
      return sample && Number(sample.value[1]) > Date.now() / 1000 - 3 ? sample : undefined;
    }, 30_000, 'a good run recorded by Prometheus');
    const [open] = await server.query('quoteflow:market_open:max');
    expect([Number(lastGood.value[1]) > 0, open.value[1]]).toEqual([true, '1']);
    expect((await server.alerts()).filter((a) => a.labels.alertname === 'QuoteflowStaleFeed')).toEqual([]);

    upstream.respond({ status: 500, body: { message: 'upstream down' } });

    const stale = await eventually(async () => {
      const alert = (await server.alerts()).find((a) => a.labels.alertname === 'QuoteflowStaleFeed' && a.state === 'firing');
      return alert;
    }, 60_000, 'QuoteflowStaleFeed firing');
    expect(stale.labels).toMatchObject({ alertname: 'QuoteflowStaleFeed', severity: 'page' });
    expect(Number(stale.value)).toBeGreaterThan(SCALED.staleFeedSeconds);
    const failing = await eventually(async () => (await server.alerts()).find((a) => a.labels.alertname === 'QuoteflowIngestFailing'), 30_000, 'QuoteflowIngestFailing');
    expect(failing.labels.severity).toBe('page');
  });
});
